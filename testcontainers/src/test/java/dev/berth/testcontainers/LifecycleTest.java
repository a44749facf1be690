package dev.berth.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@code @Testcontainers} with {@code @Container}: a static container lives for the class, an
 * instance one is new for each test.
 */
@Testcontainers
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifecycleTest {
  static {
    Engines.setUp();
  }

  @Container
  static final GenericContainer<?> SHARED = GenericContainerTest.busybox("exec sleep 600");

  @Container
  final GenericContainer<?> perTest = GenericContainerTest.busybox("exec sleep 600");

  static String firstShared;
  static String firstPerTest;

  @Test
  @Order(1)
  void containers_areRunningInTheTest() {
    assertThat(SHARED.isRunning()).isTrue();
    assertThat(perTest.isRunning()).isTrue();
    firstShared = SHARED.getContainerId();
    firstPerTest = perTest.getContainerId();
  }

  @Test
  @Order(2)
  void staticOneIsKept_instanceOneIsNew() {
    assertThat(SHARED.getContainerId()).isEqualTo(firstShared);
    assertThat(perTest.getContainerId()).isNotEqualTo(firstPerTest);
    assertThat(perTest.isRunning()).isTrue();
  }
}
