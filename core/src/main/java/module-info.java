/** Berth: pull container images and run containers inside the JVM, with no daemon. */
module dev.berth {
  requires com.sun.jna;
  requires org.apache.commons.compress;
  requires com.github.luben.zstd_jni;
  requires com.fasterxml.jackson.databind;
  requires okhttp3;
  requires static org.junit.jupiter.api;

  opens dev.berth.internal.store to com.fasterxml.jackson.databind;
  opens dev.berth.internal.runtime to com.fasterxml.jackson.databind;
  // network records are JSON files
  opens dev.berth.internal.net to com.fasterxml.jackson.databind;

  exports dev.berth;
  exports dev.berth.junit;

  // Jackson binds the manifest records by reflection
  opens dev.berth.internal.manifest to com.fasterxml.jackson.databind;
}
