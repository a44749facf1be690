package dev.berth.internal.security;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Runs a classic BPF program the way the kernel's seccomp runs it, on one seccomp_data, for the
 * compiler's tests. Knows only the instructions the compiler emits, and fails on any other.
 */
final class BpfInterpreter {
  private BpfInterpreter() {}

  static int run(byte[] program, int arch, int nr, long... args) {
    ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    data.putInt(0, nr).putInt(4, arch);
    for (int i = 0; i < args.length; i++) data.putLong(16 + 8 * i, args[i]);
    ByteBuffer p = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
    int a = 0;
    for (int pc = 0; pc < program.length / 8; pc++) {
      int code = p.getShort(pc * 8) & 0xffff, jt = p.get(pc * 8 + 2) & 0xff, jf = p.get(pc * 8 + 3) & 0xff;
      int k = p.getInt(pc * 8 + 4);
      switch (code) {
        case BpfAssembler.LD_W_ABS -> a = data.getInt(k);
        case BpfAssembler.AND_K -> a &= k;
        case BpfAssembler.RET_K -> { return k; }
        case BpfAssembler.JEQ -> pc += a == k ? jt : jf;
        case BpfAssembler.JGT -> pc += Integer.compareUnsigned(a, k) > 0 ? jt : jf;
        case BpfAssembler.JGE -> pc += Integer.compareUnsigned(a, k) >= 0 ? jt : jf;
        default -> throw new AssertionError("unexpected BPF code 0x" + Integer.toHexString(code) + " at " + pc);
      }
    }
    throw new AssertionError("the program ran off its end");
  }
}
