package dev.berth;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The process and network setters of {@link RunOptionsBuilder}, split off by concern so that
 * neither class outgrows the size the project keeps to (issue #15): what the container runs and
 * how it is reached. {@link RunOptionsBuilder} adds the rest (name, labels, lifecycle, limits,
 * security, mounts) and {@code build()}.
 *
 * <p>Package-private and sealed, as the JDK's {@code AbstractStringBuilder} is to
 * {@code StringBuilder}: users see one public type; Javadoc lists these public setters as members
 * of {@link RunOptionsBuilder}, and each returns it, so chained calls are as before. One catch:
 * another page's link to one of these setters ({@code RunOptionsBuilder#hostname}) resolves to
 * this class and renders as plain text, so setters that other pages link to stay in
 * {@link RunOptionsBuilder} (the mount setters, linked from {@link Mount}).
 */
abstract sealed class AbstractRunOptionsBuilder permits RunOptionsBuilder {
  // read by RunOptionsBuilder.build()
  final ProcessOptionsBuilder process;
  final NetworkOptionsBuilder network;

  AbstractRunOptionsBuilder() {
    process = new ProcessOptionsBuilder();
    network = new NetworkOptionsBuilder();
  }

  AbstractRunOptionsBuilder(RunOptions o) {
    process = new ProcessOptionsBuilder(o.process());
    network = new NetworkOptionsBuilder(o.network());
  }

  /** This builder as the public type; the cast is safe, as the class is sealed to it. */
  private RunOptionsBuilder self() {
    return (RunOptionsBuilder) this;
  }

  /**
   * Replaces the image's CMD.
   *
   * @param command the program and its arguments
   * @return this builder
   */
  public RunOptionsBuilder command(String... command) {
    process.command(Arrays.asList(command.clone()));
    return self();
  }

  /**
   * Replaces the image's CMD.
   *
   * @param command the program and its arguments
   * @return this builder
   */
  public RunOptionsBuilder command(List<String> command) {
    process.command(command);
    return self();
  }

  /**
   * Replaces the image's ENTRYPOINT; as in Docker, this also drops the image's CMD unless a
   * command is set too. No arguments clears the entrypoint.
   *
   * @param entrypoint the program and its first arguments
   * @return this builder
   */
  public RunOptionsBuilder entrypoint(String... entrypoint) {
    process.entrypoint(Arrays.asList(entrypoint.clone()));
    return self();
  }

  /**
   * Sets one environment variable, overriding the image's value of it.
   *
   * @param name the variable's name
   * @param value its value
   * @return this builder
   */
  public RunOptionsBuilder env(String name, String value) {
    process.env(name, value);
    return self();
  }

  /**
   * Sets several environment variables.
   *
   * @param vars names and values
   * @return this builder
   */
  public RunOptionsBuilder env(Map<String, String> vars) {
    vars.forEach(this::env);
    return self();
  }

  /**
   * Sets the working directory (created when missing, as Docker does).
   *
   * @param dir an absolute path inside the container
   * @return this builder
   */
  public RunOptionsBuilder workingDir(String dir) {
    process.workingDir(dir);
    return self();
  }

  /**
   * Sets the user: {@code name}, {@code uid}, {@code uid:gid} or {@code name:group}.
   *
   * @param user the user, as {@code docker run -u} takes it
   * @return this builder
   */
  public RunOptionsBuilder user(String user) {
    process.user(user);
    return self();
  }

  /**
   * Sets the hostname (default: the short container id).
   *
   * @param hostname the hostname
   * @return this builder
   */
  public RunOptionsBuilder hostname(String hostname) {
    network.hostname(hostname);
    return self();
  }

  /**
   * Gives the process a pseudo-terminal ({@code -t}).
   *
   * @param tty true for a terminal
   * @return this builder
   */
  public RunOptionsBuilder tty(boolean tty) {
    process.tty(tty);
    return self();
  }

  /**
   * Keeps stdin open for this JVM to write to ({@code -i}).
   *
   * @param stdinOpen true to keep stdin open
   * @return this builder
   */
  public RunOptionsBuilder stdinOpen(boolean stdinOpen) {
    process.stdinOpen(stdinOpen);
    return self();
  }

  /**
   * Publishes a TCP port on a free port of 127.0.0.1 ({@code -p 127.0.0.1::5432}); ask the
   * container which with {@link Container#hostPort(int)}. A remote engine on another machine
   * publishes it on all that machine's addresses, reached at {@link
   * HostInfo#publishedPortHost()}.
   *
   * @param containerPort the TCP port inside the container
   * @return this builder
   */
  public RunOptionsBuilder publish(int containerPort) {
    network.publishLocal(0, containerPort);
    return self();
  }

  /**
   * Publishes a TCP port on a fixed port of 127.0.0.1 ({@code -p 127.0.0.1:8080:80}).
   *
   * @param hostPort the port on 127.0.0.1
   * @param containerPort the TCP port inside the container
   * @return this builder
   */
  public RunOptionsBuilder publish(int hostPort, int containerPort) {
    network.publishLocal(hostPort, containerPort);
    return self();
  }

  /**
   * Publishes a port with every detail chosen: host address ({@code 0.0.0.0} for all), host
   * port (0 for a free one), container port, tcp or udp.
   *
   * @param mapping the host address and port, container port and protocol
   * @return this builder
   */
  public RunOptionsBuilder publish(PortMapping mapping) {
    network.publish(mapping);
    return self();
  }

  /**
   * Publishes every port the image exposes on free host ports ({@code -P}).
   *
   * @param all true to publish every exposed port
   * @return this builder
   */
  public RunOptionsBuilder publishAll(boolean all) {
    network.publishAll(all);
    return self();
  }

  /**
   * The network: {@code private} (default), {@code none}, {@code host},
   * {@code container:<name-or-id>}, or a user-defined network's name.
   *
   * @param network the network, in Docker's words
   * @return this builder
   */
  public RunOptionsBuilder network(String network) {
    return network(NetworkMode.parse(network));
  }

  /**
   * The network, typed: {@link NetworkMode#NONE}, {@code new NetworkMode.UserDefined("web")}, …
   *
   * @param network the network
   * @return this builder
   */
  public RunOptionsBuilder network(NetworkMode network) {
    this.network.mode(network);
    return self();
  }

  /**
   * Adds a name other containers on its user-defined network can reach it by.
   *
   * @param alias the name, unique on the network
   * @return this builder
   */
  public RunOptionsBuilder networkAlias(String alias) {
    network.alias(alias);
    return self();
  }
}
