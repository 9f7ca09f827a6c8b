/** The {@code processor.*} settings ({@link io.eventprocessor.config.ProcessorConfig}), the clock and the instance name. */
package io.eventprocessor.config;
