package dev.berth.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks for the started container of the {@link BerthFixture} field named {@link #value()}, on a
 * {@link RunningFixture} parameter or field. A {@code RunningFixture} parameter without it
 * gets the only fixture the test has; with several, name one.
 *
 * <pre>{@code
 * @Test
 * void cachesUsers(@Started("POSTGRES") RunningFixture db, @Started("REDIS") RunningFixture cache)
 * }</pre>
 */
@Documented
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
public @interface Started {
  /** @return the name of the {@link BerthFixture} field */
  String value();
}
