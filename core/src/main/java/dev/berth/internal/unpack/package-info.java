/**
 * Unpacking layer tars into directories, confined to them.
 *
 * <p>{@link dev.berth.internal.unpack.LayerUnpacker} applies one layer in one streaming pass,
 * either into an empty directory that becomes an overlayfs lower directory ({@link
 * dev.berth.internal.unpack.UnpackMode#OVERLAY}: whiteouts become 0/0 character devices, opaque
 * markers the {@code overlay.opaque} xattr) or on top of the layers below ({@link
 * dev.berth.internal.unpack.UnpackMode#FLATTEN}: whiteouts delete, sparing what the same layer
 * wrote, as the OCI layer specification says).
 *
 * <h2>Confinement</h2>
 *
 * Nothing an archive says may create, change or follow anything outside the root directory. Every
 * operation is a {@code *at} call on a directory fd found inside the root, with the last
 * component never followed ({@code O_NOFOLLOW}, {@code AT_SYMLINK_NOFOLLOW}, {@code O_EXCL}
 * after removing what was there). Parents are resolved with openat2 {@code RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS}, or, where the kernel lacks openat2, by walking one component at a time
 * with {@code O_NOFOLLOW} and following symlinks by hand with the same rules.
 *
 * <p>The rules, chosen to match {@code umoci unpack} (which these tests compare against) where it
 * is safe:
 *
 * <ul>
 *   <li><b>Names</b> are cleaned lexically: a leading {@code /} is stripped (as tar does), {@code
 *       ..} that stays inside the root is applied (as Docker does), and {@code ..} that would
 *       climb above the root stops at the root (as umoci's {@code CleanPath} and Docker's {@code
 *       filepath.Join("/", name)} do), with a note in the summary. Refusing those names would
 *       reject archives umoci accepts, for no gain: the cleaned name is inside the root.
 *   <li><b>Symlinks</b> in a parent path, whether planted by an earlier entry or already in the
 *       tree from a lower layer, are followed as if the root were {@code /} ({@code
 *       RESOLVE_IN_ROOT}; umoci does the same with {@code securejoin}): {@code link -> /} then
 *       {@code link/etc/x} writes {@code <root>/etc/x}, and {@code link -> ../../..} resolves to
 *       the root. The write lands inside the root, as the image's author meant it when the tree
 *       is seen from inside the container.
 *   <li><b>Hardlinks</b> whose target name climbs above the root lexically are refused with
 *       {@link dev.berth.UnsafeArchiveException} (umoci would clamp them; Docker refuses them: a
 *       hardlink shares the inode, so guessing wrong could expose a host file, and no honest
 *       layer writes such a name). An absolute target is relative to the root, like a name; a
 *       target's parent is resolved in the root like any parent, and the target itself is never
 *       followed (linkat without {@code AT_SYMLINK_FOLLOW}), so a hardlink can only ever share an
 *       inode that is already inside the root: in FLATTEN mode anything already in the tree
 *       (the layers below included), in OVERLAY mode one of the same layer.
 *   <li><b>Hardlinks to a lower layer's file</b> (valid OCI: "hardlinks may point to files in
 *       previous layers"), in OVERLAY mode, copy the target up into this layer and link it
 *       there, as containerd and podman do ({@link dev.berth.internal.unpack.CopyUp}): the
 *       caller names the layer dirs below ({@link dev.berth.internal.unpack.LowerLayers}, the
 *       store's, asked for only when such a link comes), and the target's path is walked in
 *       each, from this layer down, one component at a time with {@code O_NOFOLLOW} from that
 *       layer's own directory: the topmost layer holding the target gives its content, mode,
 *       owner, times and xattrs (its overlay markers excepted), and the parents this layer lacks
 *       take the metadata of the topmost directory below. A parent that is a symlink in the
 *       merged view is never followed by the kernel: its target is read, joined to the rest of
 *       the name and cleaned lexically with the root as {@code /} (as RESOLVE_IN_ROOT resolves
 *       it in FLATTEN mode), and the walk starts again. A target that is a symlink is copied as
 *       the symlink. Refused, naming the layer, the link and the target: a target some layer
 *       deleted (a whiteout of it or of a parent, an opaque parent, a parent replaced by a
 *       non-directory), a directory, and a target no layer has. The copy is written into this
 *       layer only; the lower layers are opened read-only.
 *   <li><b>Whiteouts</b> are names like any other: {@code ../.wh.x} whites out {@code <root>/x},
 *       a whiteout under a symlinked parent resolves in the root, and a whiteout of {@code .} or
 *       {@code ..} is refused.
 *   <li>Xattrs named {@code trusted.overlay.*} or {@code user.overlay.*} in an archive are
 *       dropped, with a note: they would let a layer make overlayfs hide or redirect paths.
 * </ul>
 *
 * <p>The caller unpacks into a staging directory and discards it when an exception is thrown;
 * this package does not undo partial work.
 */
package dev.berth.internal.unpack;
