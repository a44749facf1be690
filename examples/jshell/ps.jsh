// The docker ps -a table, then each container's fields.
//   jshell --class-path "$(cat examples/target/classpath.txt)" examples/jshell/ps.jsh
import dev.berth.*

ContainerList all = Containers.list(true)
System.out.print(all)
for (ContainerInfo info : all) {
  System.out.println(info.name() + ": " + info.status() + ", command " + info.command());
}
/exit
