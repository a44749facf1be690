package dev.berth;

import dev.berth.internal.runtime.DockerText;
import dev.berth.internal.runtime.PsTable;
import dev.berth.internal.util.Rfc3339;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/** An immutable list of images whose {@code toString()} is the {@code docker images} table. */
public final class ImageList extends AbstractList<Image> {
  private final List<Image> images;

  ImageList(List<Image> images) {
    this.images = List.copyOf(images);
  }

  @Override
  public Image get(int index) {
    return images.get(index);
  }

  @Override
  public int size() {
    return images.size();
  }

  /** @return REPOSITORY, TAG, IMAGE ID, CREATED and SIZE columns, as {@code docker images} */
  @Override
  public String toString() {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"));
    Instant now = Instant.now();
    for (Image i : images) {
      List<String> tags = i.record().repoTags().isEmpty() ? List.of("<none>:<none>")
          : i.record().repoTags();
      String created = i.record().created() == null ? "N/A"
          : DockerText.ago(Duration.between(Rfc3339.parse(i.record().created()), now));
      for (String t : tags) {
        String repo = t;
        String tag = "<none>";
        if (!t.startsWith("<none>")) {
          ImageRef r = ImageRef.parse(t);
          String f = r.familiar();
          repo = r.tag() == null ? f : f.substring(0, f.length() - r.tag().length() - 1);
          tag = r.tag() == null ? "<none>" : r.tag();
        } else {
          repo = "<none>";
        }
        rows.add(List.of(repo, tag, i.id().shortHex(), created,
            DockerText.size(i.record().size())));
      }
    }
    return PsTable.table(rows);
  }
}
