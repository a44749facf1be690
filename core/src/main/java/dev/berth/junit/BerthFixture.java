package dev.berth.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a {@link Fixture} field whose container the tests need; annotating the field is enough
 * to enable the {@link BerthExtension}. A {@code static} field's container runs for the whole
 * test class; an instance field's is started before each test and removed after it. The
 * containers a class (or a test) needs start in parallel. Tests receive them as
 * {@link RunningFixture} parameters or fields, see {@link Started}.
 */
@Documented
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(BerthExtension.class)
public @interface BerthFixture {
  /**
   * @return true (static fields only): one container for the whole test run, shared by every
   *     class declaring an equal fixture, removed when the run ends
   */
  boolean shared() default false;
}
