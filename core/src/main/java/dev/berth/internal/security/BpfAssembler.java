package dev.berth.internal.security;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a classic BPF program with symbolic jump targets, resolved at the end: classic BPF
 * jumps only forward, by at most 255 instructions, which is checked rather than assumed.
 */
final class BpfAssembler {
  static final int LD_W_ABS = 0x20;
  static final int JEQ = 0x15;
  static final int JGT = 0x25;
  static final int JGE = 0x35;
  static final int AND_K = 0x54;
  static final int RET_K = 0x06;
  /** BPF_MAXINSNS: the kernel refuses longer programs. */
  static final int MAX_INSNS = 4096;

  /** A place in the program; bound once to the next instruction's index. */
  static final class Label {
    private int at = -1;
  }

  private record Insn(int code, int k, Label jt, Label jf) {}

  private final List<Insn> insns = new ArrayList<>();

  Label label() {
    return new Label();
  }

  void bind(Label l) {
    l.at = insns.size();
  }

  void load(int offset) {
    insns.add(new Insn(LD_W_ABS, offset, null, null));
  }

  void and(int mask) {
    insns.add(new Insn(AND_K, mask, null, null));
  }

  void ret(int value) {
    insns.add(new Insn(RET_K, value, null, null));
  }

  /** A conditional jump; a null target means the next instruction. */
  void jump(int code, int k, Label ifTrue, Label ifFalse) {
    insns.add(new Insn(code, k, ifTrue, ifFalse));
  }

  int size() {
    return insns.size();
  }

  /** @return struct sock_filter[] in the machine's byte order: u16 code, u8 jt, u8 jf, u32 k */
  byte[] assemble() {
    if (insns.size() > MAX_INSNS) {
      throw new IllegalArgumentException("the seccomp profile compiles to " + insns.size() + " BPF instructions; the kernel takes at most " + MAX_INSNS);
    }
    ByteBuffer out = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.nativeOrder());
    for (int i = 0; i < insns.size(); i++) {
      Insn in = insns.get(i);
      out.putShort((short) in.code()).put(offset(i, in.jt())).put(offset(i, in.jf())).putInt(in.k());
    }
    return out.array();
  }

  private byte offset(int from, Label to) {
    if (to == null) return 0;
    int off = to.at - from - 1;
    if (to.at < 0 || off < 0 || off > 255) throw new IllegalStateException("BPF jump from " + from + " to " + to.at + " cannot be encoded");
    return (byte) off;
  }
}
