package org.strata.testkit.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.strata.testkit.hostile.HostileReport.Outcome;
import org.strata.testkit.hostile.Pdus.Context;
import org.strata.testkit.hostile.Pdus.Element;

/**
 * Hostile input for a DICOM SCP at host:port: broken and lying PDUs in every association state,
 * mutated DIMSE command sets, mutated Part 10 objects over C-STORE. Each input runs on its own
 * connection; it is answered when the SCP sends a PDU (A-ASSOCIATE-AC/RJ, a DIMSE status,
 * A-RELEASE-RP, A-ABORT) or closes within the deadline, and hung otherwise.
 *
 * <p>In an established association every input is followed by an A-RELEASE-RQ, so an SCP that
 * rightly waits for the rest of a message (a command whose last fragment never comes) still has
 * something to answer; an SCP that is stuck in a PDU whose lengths lie is not freed by it.
 */
public final class HostileDicom {
  /** A request the command mutations start from, on its own presentation context. */
  public record Template(String abstractSyntax, List<Element> command, byte[] dataSet) {}

  /** One hostile PDU sequence; {@code endOutput}: the peer then ends its side (truncations). */
  record Hostile(String name, byte[] bytes, boolean endOutput) {}

  private enum State {
    STA2_IDLE,
    STA6_ESTABLISHED,
    MID_COMMAND,
    MID_DATASET,
    RELEASE_REQUESTED,
    RELEASE_DONE
  }

  /** Twice the SCP's ARTIM timer (10 s): how long a stalled PDU may stay unanswered. */
  static final int STALL_DEADLINE_MILLIS = 20_000;

  private static final int ECHO_CONTEXT = 1;
  private static final int TEMPLATE_CONTEXT = 3;

  private final String host;
  private final int port;
  private final String calledAe;
  private final String callingAe;
  private final Template template;
  private final HostileRun run;
  private final HostileReport report;

  public HostileDicom(
      String host,
      int port,
      String calledAe,
      String callingAe,
      Template template,
      HostileRun run,
      HostileReport report) {
    this.host = host;
    this.port = port;
    this.calledAe = calledAe;
    this.callingAe = callingAe;
    this.template = template;
    this.run = run;
    this.report = report;
  }

  /** A C-ECHO-RQ command. */
  public static List<Element> echo(int messageId) {
    return List.of(
        Element.ui(0x00000002, Pdus.VERIFICATION),
        Element.us(0x00000100, 0x0030),
        Element.us(0x00000110, messageId),
        Element.us(0x00000800, 0x0101));
  }

  /** A C-STORE-RQ command for an instance with a data set. */
  public static List<Element> store(String sopClass, String sopInstance, int messageId) {
    return List.of(
        Element.ui(0x00000002, sopClass),
        Element.us(0x00000100, 0x0001),
        Element.us(0x00000110, messageId),
        Element.us(0x00000700, 0),
        Element.us(0x00000800, 0x0000),
        Element.ui(0x00001000, sopInstance));
  }

  /** A C-FIND-RQ command with an identifier. */
  public static List<Element> find(String sopClass, int messageId) {
    return List.of(
        Element.ui(0x00000002, sopClass),
        Element.us(0x00000100, 0x0020),
        Element.us(0x00000110, messageId),
        Element.us(0x00000700, 0),
        Element.us(0x00000800, 0x0000));
  }

  private List<Context> contexts() {
    return List.of(
        new Context(ECHO_CONTEXT, Pdus.VERIFICATION, List.of(Pdus.IMPLICIT_LE)),
        new Context(TEMPLATE_CONTEXT, template.abstractSyntax(), List.of(Pdus.IMPLICIT_LE)));
  }

  private byte[] associateRq() {
    return Pdus.associateRq(calledAe, callingAe, contexts());
  }

  // ---------------------------------------------------------------- PDUs in every state

  /** Every fixed hostile PDU in every state, then {@code iterations} random ones. */
  public void pdus() {
    int index = 0;
    for (State state : State.values()) {
      String kind = "pdu-" + state.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
      for (Hostile h : fixedPdus(run.random(kind, -1))) {
        runInState(kind, index++, state, h);
      }
    }
    stalledPdus();
    for (int i = 0; i < run.iterations(); i++) {
      SplittableRandom random = run.random("pdu-random", i);
      State state = State.values()[random.nextInt(State.values().length)];
      if (run.selected("pdu-random", i)) {
        runInState("pdu-random", i, state, randomPdu(state, random));
      }
    }
  }

  /**
   * PDUs started and never finished, the peer then silent (neither more bytes nor a close): the SCP
   * cannot tell a slow peer from a lying one, so it may wait, but only for its ARTIM timer (10 s),
   * not for the idle timeout. Each waits up to {@link #STALL_DEADLINE_MILLIS}; they run side by
   * side, below the SCP's per-host association cap, so the wait is paid about once.
   */
  private void stalledPdus() {
    byte[] rq = associateRq();
    byte[] echo = Pdus.pData(Pdus.pdv(ECHO_CONTEXT, true, true, Pdus.command(echo(7))));
    List<Hostile> stalls =
        List.of(
            new Hostile("one byte of a PDU header, then silence", new byte[] {1}, false),
            new Hostile("PDU header alone, then silence", Arrays.copyOf(echo, 6), false),
            new Hostile("A-ASSOCIATE-RQ 100 bytes short, then silence", relength(rq, 100), false),
            new Hostile("P-DATA-TF 100 bytes short, then silence", relength(echo, 100), false));
    List<Thread> threads = new ArrayList<>();
    java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(8);
    int index = 0;
    for (State state :
        List.of(State.STA2_IDLE, State.STA6_ESTABLISHED, State.MID_COMMAND, State.MID_DATASET)) {
      for (Hostile h : stalls) {
        int i = index++;
        threads.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      slots.acquireUninterruptibly();
                      try {
                        runInState("pdu-stalled", i, state, h, true);
                      } finally {
                        slots.release();
                      }
                    }));
      }
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private List<Hostile> fixedPdus(SplittableRandom random) {
    byte[] rq = associateRq();
    byte[] echo = Pdus.pData(Pdus.pdv(ECHO_CONTEXT, true, true, Pdus.command(echo(7))));
    List<Hostile> list = new ArrayList<>();
    // Fewer than the 6 bytes of a PDU header, or garbage that may claim a length beyond itself:
    // only the end of the input lets the SCP decide.
    list.add(new Hostile("one garbage byte", new byte[] {(byte) 0x9A}, true));
    byte[] garbage = new byte[64 + random.nextInt(2048)];
    random.nextBytes(garbage);
    list.add(new Hostile("garbage", garbage, true));
    byte[] unknownType = garbage.clone();
    unknownType[0] = (byte) 0x9A;
    list.add(new Hostile("garbage of unknown PDU type", unknownType, false));
    for (int type : new int[] {0x00, 0x08, 0x7F, 0xFF}) {
      list.add(new Hostile("unknown PDU type " + type, Pdus.pdu(type, new byte[4]), false));
    }
    list.add(new Hostile("truncated A-ASSOCIATE-RQ", Arrays.copyOf(rq, rq.length / 2), true));
    list.add(new Hostile("truncated P-DATA-TF", Arrays.copyOf(echo, echo.length - 5), true));
    list.add(new Hostile("PDU header alone", Arrays.copyOf(echo, 6), true));
    list.add(new Hostile("A-ASSOCIATE-RQ length 10 short", relength(rq, -10), false));
    list.add(new Hostile("A-ASSOCIATE-RQ length 100 long", relength(rq, 100), true));
    list.add(new Hostile("P-DATA-TF length 4 short", relength(echo, -4), false));
    list.add(new Hostile("P-DATA-TF length 100 long", relength(echo, 100), true));
    list.add(new Hostile("P-DATA-TF claims 4 GiB", claim(echo, 0xFFFFFFFFL), false));
    list.add(new Hostile("A-ASSOCIATE-RQ claims 2 GiB", claim(rq, 0x7FFFFFFFL), false));
    list.add(new Hostile("A-ABORT claims 4 GiB", claim(Pdus.abort(), 0xFFFFFFF0L), false));
    list.add(new Hostile("A-RELEASE-RQ claims 1 GiB", claim(Pdus.releaseRq(), 1L << 30), false));
    byte[] app = Pdus.applicationContextItem();
    byte[] pc = Pdus.presentationContextItem(contexts().get(0));
    byte[] user = Pdus.userInformationItem(Pdus.MAX_PDU);
    list.add(rqWith("RQ presentation context before application context", pc, app, user));
    list.add(rqWith("RQ user information first", user, app, pc));
    list.add(rqWith("RQ without application context", pc, user));
    list.add(rqWith("RQ without presentation context", app, user));
    list.add(rqWith("RQ without user information", app, pc));
    list.add(rqWith("RQ two user informations", app, pc, user, user));
    byte[] lyingItem = pc.clone();
    lyingItem[2] = (byte) 0xFF;
    lyingItem[3] = (byte) 0xFF;
    list.add(rqWith("RQ item length 65535", app, lyingItem, user));
    byte[] zeroItem = pc.clone();
    zeroItem[2] = 0;
    zeroItem[3] = 0;
    list.add(rqWith("RQ item length 0", app, zeroItem, user));
    list.add(rqWith("RQ unknown item type", app, Pdus.item(0x99, new byte[300]), pc, user));
    list.add(rqWith("RQ empty abstract syntax", app, emptySubItems(), user));
    ByteArrayOutputStream many = new ByteArrayOutputStream();
    for (int i = 0; i < 400; i++) {
      many.writeBytes(
          Pdus.presentationContextItem(
              new Context((i * 2 + 1) & 0xff, Pdus.VERIFICATION, List.of(Pdus.IMPLICIT_LE))));
    }
    list.add(rqWith("RQ 400 presentation contexts, ids reused", app, many.toByteArray(), user));
    byte[] version = rq.clone();
    version[6] = (byte) 0xFF;
    version[7] = (byte) 0xFF;
    list.add(new Hostile("RQ protocol version 0xFFFF", version, false));
    byte[] nulAe = rq.clone();
    Arrays.fill(nulAe, 10, 42, (byte) 0);
    list.add(new Hostile("RQ AE titles of NUL", nulAe, false));
    byte[] data = Pdus.command(echo(9));
    list.add(
        new Hostile(
            "PDV claims 1000 bytes more than its PDU",
            Pdus.pData(Pdus.pdv(ECHO_CONTEXT, 3, data, data.length + 1002L)),
            false));
    list.add(
        new Hostile(
            "PDV claims 4 GiB", Pdus.pData(Pdus.pdv(ECHO_CONTEXT, 3, data, 0xFFFFFFFFL)), false));
    byte[] dataSet = template.dataSet() == null ? new byte[16] : template.dataSet();
    for (int header : new int[] {0, 2}) {
      list.add(
          new Hostile(
              "data set PDV (header " + header + ") claims 1000 bytes more than its PDU",
              Pdus.pData(Pdus.pdv(TEMPLATE_CONTEXT, header, dataSet, dataSet.length + 1002L)),
              false));
    }
    list.add(new Hostile("PDV length 0", Pdus.pdu(0x04, new byte[] {0, 0, 0, 0}), false));
    list.add(new Hostile("PDV length 1", Pdus.pdu(0x04, new byte[] {0, 0, 0, 1, 1}), false));
    list.add(new Hostile("P-DATA-TF without PDV", Pdus.pdu(0x04, new byte[0]), false));
    list.add(new Hostile("PDV on context 255", Pdus.pData(Pdus.pdv(255, true, true, data)), false));
    list.add(
        new Hostile("PDV on even context 2", Pdus.pData(Pdus.pdv(2, true, true, data)), false));
    list.add(
        new Hostile(
            "data set PDV before any command",
            Pdus.pData(Pdus.pdv(ECHO_CONTEXT, false, true, new byte[64])),
            false));
    list.add(
        new Hostile(
            "PDV header 0xFC",
            Pdus.pData(Pdus.pdv(ECHO_CONTEXT, 0xFC, data, data.length + 2L)),
            false));
    list.add(new Hostile("A-ASSOCIATE-RQ again", rq, false));
    list.add(
        new Hostile("A-ASSOCIATE-AC from the requestor", Pdus.pdu(0x02, rq, rq.length - 6), false));
    list.add(new Hostile("A-ASSOCIATE-RJ from the requestor", Pdus.pdu(0x03, new byte[4]), false));
    list.add(new Hostile("unsolicited A-RELEASE-RP", Pdus.releaseRp(), false));
    list.add(new Hostile("A-RELEASE-RQ with 100 bytes", Pdus.pdu(0x05, new byte[100]), false));
    list.add(new Hostile("A-ABORT", Pdus.abort(), false));
    return list;
  }

  private Hostile rqWith(String name, byte[]... items) {
    return new Hostile(
        name, Pdus.pdu(0x01, Pdus.associateRqBody(calledAe, callingAe, items)), false);
  }

  private static byte[] emptySubItems() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {1, 0, 0, 0});
    out.writeBytes(Pdus.item(0x30, new byte[0]));
    out.writeBytes(Pdus.item(0x40, new byte[0]));
    return Pdus.item(0x20, out.toByteArray());
  }

  /** A PDU whose length field is off by {@code delta}. */
  private static byte[] relength(byte[] pdu, int delta) {
    return claim(pdu, pdu.length - 6L + delta);
  }

  private static byte[] claim(byte[] pdu, long length) {
    byte[] out = pdu.clone();
    out[2] = (byte) (length >>> 24);
    out[3] = (byte) (length >>> 16);
    out[4] = (byte) (length >>> 8);
    out[5] = (byte) length;
    return out;
  }

  /** A valid PDU of the state mutated in its body (its length stays true), or cut short. */
  private Hostile randomPdu(State state, SplittableRandom random) {
    byte[] base =
        state == State.STA2_IDLE
            ? associateRq()
            : Pdus.pData(Pdus.pdv(TEMPLATE_CONTEXT, true, true, Pdus.command(template.command())));
    if (random.nextInt(5) == 0) {
      int cut = 1 + random.nextInt(base.length - 1);
      return new Hostile(
          "cut to " + cut + " of " + Pdus.class.getSimpleName(), Arrays.copyOf(base, cut), true);
    }
    byte[] mutated = base.clone();
    int flips = 1 + random.nextInt(6);
    StringBuilder at = new StringBuilder();
    for (int i = 0; i < flips; i++) {
      int pos = 6 + random.nextInt(mutated.length - 6);
      if (random.nextBoolean()) {
        mutated[pos] ^= (byte) (1 << random.nextInt(8));
      } else {
        mutated[pos] = (byte) random.nextInt(256);
      }
      at.append(pos).append(' ');
    }
    return new Hostile("body bytes changed at " + at.toString().trim(), mutated, false);
  }

  private void runInState(String kind, int index, State state, Hostile h) {
    runInState(kind, index, state, h, false);
  }

  private void runInState(String kind, int index, State state, Hostile h, boolean stall) {
    if (!run.selected(kind, index)) {
      return;
    }
    String description = h.name() + " in " + state + ": " + HostileReport.excerpt(h.bytes());
    try (DicomPeer peer = new DicomPeer(host, port, run.deadlineMillis())) {
      if (state != State.STA2_IDLE && !establish(peer)) {
        report.record(kind, index, Outcome.HUNG, "setup: no A-ASSOCIATE-AC; " + description);
        return;
      }
      switch (state) {
        case MID_COMMAND -> {
          byte[] cmd = Pdus.command(template.command());
          peer.send(
              Pdus.pData(
                  Pdus.pdv(TEMPLATE_CONTEXT, true, false, Arrays.copyOf(cmd, cmd.length / 2))));
        }
        case MID_DATASET -> {
          peer.send(
              Pdus.pData(
                  Pdus.pdv(TEMPLATE_CONTEXT, true, true, Pdus.command(withDataSet(template)))));
          peer.send(Pdus.pData(Pdus.pdv(TEMPLATE_CONTEXT, false, false, new byte[] {8, 0})));
        }
        case RELEASE_REQUESTED -> peer.send(Pdus.releaseRq());
        case RELEASE_DONE -> {
          peer.send(Pdus.releaseRq());
          if (peer.read().type() != 0x06) {
            report.record(kind, index, Outcome.HUNG, "setup: no A-RELEASE-RP; " + description);
            return;
          }
        }
        default -> {}
      }
      peer.send(h.bytes());
      if (stall) {
        peer.timeout(STALL_DEADLINE_MILLIS);
      } else if (h.endOutput() || state == State.RELEASE_DONE) {
        peer.endOutput();
      } else if (state != State.STA2_IDLE) {
        peer.send(Pdus.releaseRq());
      }
      report.record(kind, index, classify(peer.read()), description);
    } catch (IOException e) {
      report.record(kind, index, Outcome.REFUSED, description + " (connect: " + e + ")");
    }
  }

  private static List<Element> withDataSet(Template t) {
    List<Element> out = new ArrayList<>();
    for (Element e : t.command()) {
      out.add(e.tag() == 0x00000800 ? Element.us(0x00000800, 0) : e);
    }
    return out;
  }

  private boolean establish(DicomPeer peer) {
    peer.send(associateRq());
    return peer.read().type() == 0x02;
  }

  /** What an answer means: the SCP accepted, refused or never answered. */
  private static Outcome classify(DicomPeer.Reply reply) {
    return switch (reply.type()) {
      case -2 -> Outcome.HUNG;
      case 0x02, 0x06 -> Outcome.ACCEPTED; // A-ASSOCIATE-AC, A-RELEASE-RP
      case 0x04 -> {
        int status = reply.status();
        yield status == 0 || status == 0xFF00 || status == 0xFF01 || (status & 0xF000) == 0xB000
            ? Outcome.ACCEPTED
            : Outcome.REFUSED;
      }
      default -> Outcome.REFUSED; // A-ASSOCIATE-RJ, A-ABORT, a close
    };
  }

  // ---------------------------------------------------------------- command sets

  /** Fixed mutations of the template's command, then {@code iterations} random ones. */
  public void commands() {
    List<Mutated> fixed = fixedCommands();
    for (int i = 0; i < fixed.size(); i++) {
      sendCommand("dimse-command", i, fixed.get(i));
    }
    for (int i = 0; i < run.iterations(); i++) {
      if (run.selected("dimse-command-random", i)) {
        sendCommand(
            "dimse-command-random", i, randomCommand(run.random("dimse-command-random", i)));
      }
    }
  }

  /** A command as bytes and whether the template's data set follows it. */
  record Mutated(String name, byte[] command, boolean dataSet) {}

  private List<Mutated> fixedCommands() {
    List<Element> base = template.command();
    boolean data = template.dataSet() != null;
    List<Mutated> out = new ArrayList<>();
    out.add(new Mutated("without Command Field", Pdus.command(without(base, 0x00000100)), data));
    for (int field : new int[] {0x0000, 0xFFFF, 0x8001, 0x0FFF, 0x0030, 0x0021, 0x0FFF0}) {
      out.add(
          new Mutated(
              "Command Field " + field,
              Pdus.command(replaced(base, Element.us(0x00000100, field))),
              data));
    }
    for (String sop :
        new String[] {
          "1.2.3.4.5", "", "not a uid", "1." + "2".repeat(200), "\0\0\0\0", Pdus.VERIFICATION
        }) {
      out.add(
          new Mutated(
              "Affected SOP Class '" + sop.replace("\0", "\\0") + "'",
              Pdus.command(replaced(base, Element.ui(0x00000002, sop))),
              data));
    }
    out.add(
        new Mutated("without Affected SOP Class", Pdus.command(without(base, 0x00000002)), data));
    out.add(new Mutated("without Message ID", Pdus.command(without(base, 0x00000110)), data));
    out.add(
        new Mutated(
            "without Command Data Set Type", Pdus.command(without(base, 0x00000800)), data));
    for (long length : new long[] {0, 1, 0xFFFFFFFFL, 0x7FFFFFFFL, 1 << 20}) {
      out.add(new Mutated("group length " + length, Pdus.command(length, base), data));
    }
    out.add(new Mutated("no group length", Pdus.command(null, base), data));
    for (int width : new int[] {0, 1, 3, 4, 64}) {
      out.add(
          new Mutated(
              "Command Field of " + width + " bytes",
              Pdus.command(replaced(base, new Element(0x00000100, new byte[width]))),
              data));
    }
    out.add(
        new Mutated(
            "Message ID length claims 4 GiB",
            Pdus.command(replaced(base, Element.us(0x00000110, 1).withClaimed(0xFFFFFFFFL))),
            data));
    out.add(
        new Mutated(
            "Affected SOP Class length claims 60000",
            Pdus.command(replaced(base, Element.ui(0x00000002, "1.2").withClaimed(60000))),
            data));
    List<Element> reversed = new ArrayList<>(base);
    java.util.Collections.reverse(reversed);
    out.add(new Mutated("elements in reverse order", Pdus.command(reversed), data));
    List<Element> doubled = new ArrayList<>(base);
    doubled.addAll(base);
    out.add(new Mutated("every element twice", Pdus.command(doubled), data));
    List<Element> foreign = new ArrayList<>(base);
    foreign.add(new Element(0x00080018, Pdus.ascii("1.2.3.4 ")));
    out.add(new Mutated("a data set element in the command", Pdus.command(foreign), data));
    List<Element> big = new ArrayList<>(base);
    big.add(new Element(0x00004000, new byte[60_000]));
    out.add(new Mutated("a 60 KB private command element", Pdus.command(big), data));
    out.add(
        new Mutated(
            "says a data set follows, none does",
            Pdus.command(replaced(base, Element.us(0x00000800, 0x0000))),
            false));
    out.add(
        new Mutated(
            "says no data set, one follows",
            Pdus.command(replaced(base, Element.us(0x00000800, 0x0101))),
            true));
    out.add(new Mutated("empty command", new byte[0], data));
    out.add(new Mutated("7 bytes of command", new byte[7], data));
    return out;
  }

  private Mutated randomCommand(SplittableRandom random) {
    byte[] cmd = Pdus.command(template.command());
    int changes = 1 + random.nextInt(6);
    StringBuilder at = new StringBuilder();
    for (int i = 0; i < changes; i++) {
      int pos = random.nextInt(cmd.length);
      cmd[pos] =
          random.nextBoolean()
              ? (byte) (cmd[pos] ^ (1 << random.nextInt(8)))
              : (byte) random.nextInt(256);
      at.append(pos).append(' ');
    }
    if (random.nextInt(4) == 0) {
      cmd = Arrays.copyOf(cmd, random.nextInt(cmd.length));
      at.append("cut to ").append(cmd.length);
    }
    return new Mutated(
        "command bytes changed at " + at.toString().trim(), cmd, template.dataSet() != null);
  }

  private static List<Element> without(List<Element> base, int tag) {
    return base.stream().filter(e -> e.tag() != tag).toList();
  }

  private static List<Element> replaced(List<Element> base, Element by) {
    return base.stream().map(e -> e.tag() == by.tag() ? by : e).toList();
  }

  private void sendCommand(String kind, int index, Mutated m) {
    if (!run.selected(kind, index)) {
      return;
    }
    String description = m.name() + ": " + HostileReport.excerpt(m.command());
    try (DicomPeer peer = new DicomPeer(host, port, run.deadlineMillis())) {
      if (!establish(peer)) {
        report.record(kind, index, Outcome.HUNG, "setup: no A-ASSOCIATE-AC; " + description);
        return;
      }
      peer.send(Pdus.pData(Pdus.pdv(TEMPLATE_CONTEXT, true, true, m.command())));
      if (m.dataSet() && template.dataSet() != null) {
        peer.send(Pdus.fragmented(TEMPLATE_CONTEXT, false, template.dataSet(), Pdus.MAX_PDU));
      }
      peer.send(Pdus.releaseRq());
      report.record(kind, index, classify(peer.read()), description);
    } catch (IOException e) {
      report.record(kind, index, Outcome.REFUSED, description + " (connect: " + e + ")");
    }
  }

  // ---------------------------------------------------------------- Part 10 over C-STORE

  /** {@code iterations} mutated samples, each in a C-STORE-RQ on its own association. */
  public void part10(List<Part10Samples.Sample> samples) {
    List<Part10Samples.Sample> usable =
        samples.stream().filter(s -> s.hasMeta() && s.renamable()).toList();
    for (int i = 0; i < run.iterations(); i++) {
      if (!run.selected("dimse-part10", i)) {
        continue;
      }
      SplittableRandom random = run.random("dimse-part10", i);
      Part10Samples.Sample s = usable.get(random.nextInt(usable.size())).withNewSopInstance(random);
      Part10Mutator.Mutation m = Part10Mutator.mutate(s.dataset(), 0, s.transferSyntax(), random);
      store("dimse-part10", i, s, m);
    }
  }

  private void store(String kind, int index, Part10Samples.Sample s, Part10Mutator.Mutation m) {
    String description = s.name() + " data set, " + m.description();
    try (DicomPeer peer = new DicomPeer(host, port, run.deadlineMillis())) {
      peer.send(
          Pdus.associateRq(
              calledAe,
              callingAe,
              List.of(new Context(1, s.sopClass(), List.of(s.transferSyntax())))));
      DicomPeer.Reply ac = peer.read();
      if (ac.type() != 0x02) {
        report.record(kind, index, classify(ac), description + " (association: " + ac.type() + ")");
        return;
      }
      Map<Integer, Integer> results = contextResults(ac.body());
      if (results.getOrDefault(1, -1) != 0) {
        peer.send(Pdus.abort());
        report.record(kind, index, Outcome.REFUSED, description + " (context not accepted)");
        return;
      }
      peer.send(
          Pdus.pData(
              Pdus.pdv(
                  1,
                  true,
                  true,
                  Pdus.command(store(s.sopClass(), s.sopInstance(), index & 0xffff)))));
      peer.send(Pdus.fragmented(1, false, m.bytes(), maxPdu(ac.body())));
      Outcome outcome = classify(peer.read());
      report.record(kind, index, outcome, description);
      peer.send(Pdus.releaseRq());
      peer.read();
    } catch (IOException e) {
      report.record(kind, index, Outcome.REFUSED, description + " (connect: " + e + ")");
    }
  }

  /** Presentation context id to result, from an A-ASSOCIATE-AC body. */
  static Map<Integer, Integer> contextResults(byte[] body) {
    Map<Integer, Integer> out = new HashMap<>();
    int pos = 68;
    while (pos + 4 <= body.length) {
      int type = body[pos] & 0xff;
      int length = (body[pos + 2] & 0xff) << 8 | (body[pos + 3] & 0xff);
      if (type == 0x21 && pos + 7 < body.length) {
        out.put(body[pos + 4] & 0xff, body[pos + 6] & 0xff);
      }
      pos += 4 + length;
    }
    return out;
  }

  /** The largest P-DATA-TF the SCP receives (its Maximum Length sub-item), at most ours. */
  static int maxPdu(byte[] body) {
    int pos = 68;
    while (pos + 4 <= body.length) {
      int type = body[pos] & 0xff;
      int length = (body[pos + 2] & 0xff) << 8 | (body[pos + 3] & 0xff);
      if (type == 0x50) {
        int sub = pos + 4;
        while (sub + 4 <= pos + 4 + length && sub + 4 <= body.length) {
          int subLength = (body[sub + 2] & 0xff) << 8 | (body[sub + 3] & 0xff);
          if ((body[sub] & 0xff) == 0x51 && subLength == 4 && sub + 8 <= body.length) {
            long max = DicomPeer.be32(body, sub + 4);
            return max == 0 ? Pdus.MAX_PDU : (int) Math.min(max, Pdus.MAX_PDU);
          }
          sub += 4 + subLength;
        }
      }
      pos += 4 + length;
    }
    return Pdus.MAX_PDU;
  }
}
