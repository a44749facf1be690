/**
 * Container resource limits with cgroups, v1, v2 and hybrid hosts alike.
 *
 * <p>{@link dev.berth.internal.cgroup.Cgroups#detect()} reads how the host mounts cgroups and what
 * this process may do with them ({@link dev.berth.internal.cgroup.CgroupHost}, which also owns
 * the layout: everything Berth makes lives under a {@code berth} parent, and nothing else is ever
 * touched). {@link dev.berth.internal.cgroup.ContainerCgroup#create} makes a container's cgroup
 * and writes its {@link dev.berth.internal.cgroup.CgroupLimits}; the native helper is only given
 * {@link dev.berth.internal.cgroup.ContainerCgroup#joinPaths()} and writes its pid to each
 * {@code cgroup.procs} before it enters a user or cgroup namespace and execs. Stats, OOM, freeze,
 * kill and removal then work from any JVM through {@code ContainerCgroup.open(id)}.
 *
 * <p>Pure Java on purpose: cgroupfs is plain files, and the few signals needed go through
 * kill(1).
 */
package dev.berth.internal.cgroup;
