package dev.berth.internal.unpack;

/** How a layer's whiteouts are applied. */
public enum UnpackMode {
  /**
   * The layer goes into its own empty directory, used later as an overlayfs lower directory:
   * whiteouts become overlayfs whiteouts (character device 0/0) and opaque markers become the
   * {@code overlay.opaque} xattr.
   */
  OVERLAY,
  /**
   * The layer is applied on top of a directory that already holds the layers below it (as {@code
   * umoci unpack} and {@code crane export} do): whiteouts delete what they name.
   */
  FLATTEN
}
