package dev.gearshift.spring.boot;

import dev.gearshift.Gearshift;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code gearshift} endpoint and health indicator, when the application has the actuator. */
@AutoConfiguration(after = GearshiftAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(Gearshift.class)
public class GearshiftEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    public GearshiftEndpoint gearshiftEndpoint(Gearshift gearshift) {
        return new GearshiftEndpoint(gearshift);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnEnabledHealthIndicator("gearshift")
    public GearshiftHealthIndicator gearshiftHealthIndicator(Gearshift gearshift) {
        return new GearshiftHealthIndicator(gearshift);
    }
}
