// Pull an image showing Docker-like progress lines, then run a command in a container.
//   jshell --class-path "$(cat examples/target/classpath.txt)" examples/jshell/pull-and-run.jsh
import dev.berth.*

Image busybox = Image.pull("busybox", p -> System.out.println(p))
System.out.println(busybox.inspect())
try (Container c = busybox.run("sh", "-c", "echo hello from $(hostname); exit 3")) {
  System.out.print(new String(c.getInputStream().readAllBytes()));
  System.out.println("exit code " + c.waitFor());   // closing removes the container
}
/exit
