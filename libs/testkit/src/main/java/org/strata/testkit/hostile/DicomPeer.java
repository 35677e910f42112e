package org.strata.testkit.hostile;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A DICOM peer on a plain socket that sends whatever bytes it is given and reads what the SCP
 * answers, PDU by PDU, each within the deadline.
 */
final class DicomPeer implements AutoCloseable {
  private static final int KEPT = 1 << 20;

  /** A PDU received, {@link #CLOSED} when the SCP closed the connection, {@link #HUNG}. */
  record Reply(int type, byte[] body) {
    static final Reply CLOSED = new Reply(-1, new byte[0]);
    static final Reply HUNG = new Reply(-2, new byte[0]);

    /** The Status (0000,0900) of the command in a P-DATA-TF reply, or -1. */
    int status() {
      if (type != 0x04) {
        return -1;
      }
      // PDV items: length, context id, header, data; the command element (0000,0900) is US.
      int pos = 0;
      while (pos + 6 <= body.length) {
        long length = be32(body, pos);
        int header = body[pos + 5] & 0xff;
        int start = pos + 6;
        int end = (int) Math.min(body.length, pos + 4 + length);
        if ((header & 1) == 1) {
          int status = find(body, start, end, 0x0900);
          if (status >= 0) {
            return status;
          }
        }
        pos = end;
      }
      return -1;
    }

    private static int find(byte[] b, int from, int to, int element) {
      int pos = from;
      while (pos + 8 <= to) {
        int group = (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8;
        int el = (b[pos + 2] & 0xff) | (b[pos + 3] & 0xff) << 8;
        long length =
            ((b[pos + 4] & 0xff)
                    | (b[pos + 5] & 0xff) << 8
                    | (b[pos + 6] & 0xff) << 16
                    | (long) (b[pos + 7] & 0xff) << 24)
                & 0xffffffffL;
        if (group == 0 && el == element && length == 2 && pos + 10 <= to) {
          return (b[pos + 8] & 0xff) | (b[pos + 9] & 0xff) << 8;
        }
        pos += 8 + (int) Math.min(length, to - pos);
      }
      return -1;
    }
  }

  private final Socket socket;
  private final DataInputStream in;

  DicomPeer(String host, int port, int deadlineMillis) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), deadlineMillis);
    socket.setSoTimeout(deadlineMillis);
    socket.setTcpNoDelay(true);
    in = new DataInputStream(socket.getInputStream());
  }

  /**
   * Sends bytes; false if the SCP has already closed (its answer is then read by {@link #read}).
   */
  boolean send(byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Changes how long a read waits. */
  void timeout(int millis) {
    try {
      socket.setSoTimeout(millis);
    } catch (IOException e) {
      // closed: the next read says so
    }
  }

  /** Ends our side of the connection: the SCP reads end of stream after what was sent. */
  void endOutput() {
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      // already closed by the SCP
    }
  }

  /** The next PDU from the SCP. */
  Reply read() {
    try {
      int type = in.read();
      if (type < 0) {
        return Reply.CLOSED;
      }
      in.readUnsignedByte();
      long length = in.readInt() & 0xffffffffL;
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      long left = length;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new EOFException();
        }
        if (body.size() < KEPT) {
          body.write(buffer, 0, n);
        }
        left -= n;
      }
      return new Reply(type, body.toByteArray());
    } catch (SocketTimeoutException e) {
      return Reply.HUNG;
    } catch (IOException e) {
      return Reply.CLOSED; // reset, or closed within a PDU
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  static long be32(byte[] b, int at) {
    return ((b[at] & 0xffL) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }
}
