// The tutorial's steps in JShell: images vs containers, as `berth pull node`, `berth run node`,
// `berth ps -a`. From the repository root, after building once:
//   jshell --class-path "$(cat examples/target/classpath.txt)" examples/jshell/tutorial.jsh
import dev.berth.*

// pull: an image is a read-only template, stored once
Image node = Image.pull("node")
System.out.println(node)

// run: each run makes a new container from the image; this one prints node's version
Container c = node.run("node", "--version")
System.out.print(new String(c.getInputStream().readAllBytes()))
System.out.println("exit code " + c.waitFor())

// run with no command: node's REPL reads an empty stdin and exits at once with 0
System.out.println("exit code " + node.run().waitFor())

// ps -a: two exited containers, both from the one image
System.out.print(Containers.list(true))
/exit
