package dev.berth.internal.util;

/**
 * A record some of whose accessors carry Jackson's {@code @JsonProperty} names. {@link RecordJson}
 * reads the names of such a record from its class file ({@link AccessorNames}); any other
 * record's JSON names are its components' names, read from no class file: in a cold JVM the first
 * resource read opens the jar's directory (~9 ms of a {@code berth images}), and each class file
 * read costs its lookup and parse. {@code AccessorNamesTest} holds every record of the main code
 * to it: one with a {@code @JsonProperty} name implements it, one without does not.
 */
public interface JsonNamed {}
