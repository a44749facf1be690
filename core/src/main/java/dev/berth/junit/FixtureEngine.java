package dev.berth.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static {@link dev.berth.Berth} field of the test class: the engine its fixtures start
 * with. Without one, fixtures use {@link dev.berth.Berth#defaultEngine()}.
 *
 * <pre>{@code
 * @FixtureEngine
 * static final Berth ENGINE = Berth.builder().registryMirror("127.0.0.1:5000").build();
 * }</pre>
 */
@Documented
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
public @interface FixtureEngine {}
