// The partition page: polls GET /partitions every 2 s and renders it. Every value goes in as text (a client id
// or host comes from whoever joined the group), never as markup.
'use strict';

const REFRESH_MS = 2000;

function text(id, value) {
  document.getElementById(id).textContent = value;
}

function since(instant, now) {
  const seconds = Math.max(0, Math.round((now - Date.parse(instant)) / 1000));
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

function clock(instant) {
  return new Date(Date.parse(instant)).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

// fresh: the partition's entry in view.newPartitions when it appeared in the last minutes, else undefined
function stateOf(partition, fresh, view, now) {
  if (!partition.owner) {
    const overdue = (now - Date.parse(partition.unownedSince)) / 1000 > view.unownedGracePeriodSeconds;
    return { css: 'unowned', label: `unowned since ${clock(partition.unownedSince)} (${since(partition.unownedSince, now)}`
      + (overdue ? ', past the grace period' : '') + (fresh ? `; new, added ${clock(fresh.appearedAt)})` : ')') };
  }
  if (partition.stuckSince) {
    const stalled = (now - Date.parse(partition.stuckSince)) / 1000 > view.stallTimeoutSeconds;
    return stalled
      ? { css: 'stalled', label: `stalled since ${clock(partition.stuckSince)} (${since(partition.stuckSince, now)})` }
      : { css: 'behind', label: `owned, not moving for ${since(partition.stuckSince, now)}` };
  }
  if (fresh) {
    return fresh.pickupSeconds === undefined
      ? { css: 'new', label: `new, added ${clock(fresh.appearedAt)}: waiting for its first record (${since(fresh.appearedAt, now)})` }
      : { css: 'new', label: `new, added ${clock(fresh.appearedAt)}: picked up in ${fresh.pickupSeconds.toFixed(1)} s` };
  }
  return { css: 'owned', label: 'owned' };
}

function cell(row, label, value, css) {
  const td = row.insertCell();
  td.dataset.label = label;
  if (css) {
    td.className = css;
  }
  td.textContent = value === undefined || value === null ? '–' : String(value);
  return td;
}

function render(view) {
  const now = Date.now();
  const topics = [...new Set(view.partitions.map(p => p.topic))];
  text('topic', topics.length ? topics.join(', ') : '…');
  text('group', `${view.groupId}${view.groupState ? ` (${view.groupState})` : ''}`);
  text('protocol', String(view.protocolInUse ? view.protocolInUse.protocol : (view.groupProtocol || 'not chosen yet')).toLowerCase());
  text('members', String(view.members));
  text('broker', view.brokerReachable ? 'reachable' : 'unreachable');
  text('age', view.dataAsOf ? since(view.dataAsOf, now) : 'no data yet');
  const banner = document.getElementById('banner');
  if (!view.brokerReachable) {
    banner.textContent = `Broker unreachable: ${view.error || 'no answer'}. ` + (view.dataAsOf
      ? `Showing the data of ${clock(view.dataAsOf)}.` : 'No ownership data yet.');
    banner.hidden = false;
  } else if (view.groupState === 'Dead' || view.members === 0) {
    banner.textContent = `Group ${view.groupId} has no members: nothing consumes these partitions.`;
    banner.hidden = false;
  } else {
    banner.hidden = true;
  }
  const fresh = new Map((view.newPartitions || []).map(entry => [entry.name, entry]));
  const body = document.querySelector('#partitions tbody');
  body.replaceChildren();
  for (const partition of view.partitions) {
    const row = body.insertRow();
    row.dataset.partition = `${partition.topic}-${partition.partition}`;
    const state = stateOf(partition, fresh.get(`${partition.topic}-${partition.partition}`), view, now);
    row.dataset.state = state.css;
    cell(row, 'partition', `${partition.topic}-${partition.partition}`);
    cell(row, 'state', state.label, `state-${state.css}`);
    const owner = cell(row, 'owner', partition.owner ? partition.owner.memberId : 'none', 'owner');
    if (partition.owner) {
      const detail = document.createElement('small');
      detail.textContent = `${partition.owner.clientId} @ ${partition.owner.host}`;
      owner.appendChild(detail);
    }
    cell(row, 'committed', partition.committedOffset, 'number');
    cell(row, 'end', partition.endOffset, 'number');
    cell(row, 'lag', partition.lag, 'number');
  }
  document.getElementById('empty').hidden = view.partitions.length > 0;
  const missing = document.getElementById('missing');
  missing.textContent = `Consumed topics that do not exist: ${(view.missingTopics || []).join(', ')}`;
  missing.hidden = !(view.missingTopics || []).length;
  const held = document.getElementById('held');
  const holds = view.heldForOrder || [];
  held.textContent = 'Held here for key order: ' + holds.map(hold =>
    `${hold.topic}-${hold.partition} (${hold.keys} keys, ${hold.records} records) waits for ` +
    Object.entries(hold.waitingFor).map(([partition, until]) =>
      `partition ${partition} up to ${until < 0 ? '?' : until} (done: ${hold.doneUpTo[partition]})`).join(', ')
  ).join('; ');
  held.hidden = holds.length === 0;
}

async function refresh() {
  try {
    const response = await fetch('/partitions', { cache: 'no-store' });
    if (!response.ok) {
      throw new Error(`GET /partitions answered ${response.status}`);
    }
    render(await response.json());
  } catch (failure) {
    const banner = document.getElementById('banner');
    banner.textContent = `This replica does not answer: ${failure.message}`;
    banner.hidden = false;
  } finally {
    document.body.dataset.refreshedAt = String(Date.now());
    setTimeout(refresh, REFRESH_MS);
  }
}

refresh();
