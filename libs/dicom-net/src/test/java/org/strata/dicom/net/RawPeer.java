package org.strata.dicom.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import org.strata.dicom.UID;
import org.strata.dicom.net.pdu.AAssociateAC;
import org.strata.dicom.net.pdu.AAssociateRQ;
import org.strata.dicom.net.pdu.Pdu;
import org.strata.dicom.net.pdu.PduReader;
import org.strata.dicom.net.pdu.PduWriter;
import org.strata.dicom.net.pdu.PresentationContextRQ;
import org.strata.dicom.net.pdu.UserInformation;

/** A hand-driven peer on a raw socket, for protocol error tests. */
final class RawPeer implements AutoCloseable {
  final Socket socket;
  final OutputStream out;
  final InputStream in;
  final PduReader reader;

  RawPeer(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(60_000); // hang guard only
    this.out = socket.getOutputStream();
    this.in = socket.getInputStream();
    this.reader = new PduReader(in, 1 << 24, 1 << 20);
  }

  static RawPeer connect(int port) throws IOException {
    return new RawPeer(new Socket(InetAddress.getLoopbackAddress(), port));
  }

  static AAssociateRQ request(String called, PresentationContextRQ... pcs) {
    return new AAssociateRQ(
        1,
        called,
        "RAW",
        Implementation.APPLICATION_CONTEXT,
        List.of(pcs),
        new UserInformation(16384, "1.2.3", null));
  }

  static AAssociateRQ echoRequest(String called) {
    return request(
        called,
        new PresentationContextRQ(1, UID.Verification, List.of(UID.ImplicitVRLittleEndian)));
  }

  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void send(Pdu pdu) throws IOException {
    send(PduWriter.encode(pdu));
  }

  /** Next PDU, or null when the peer closed the connection. */
  Pdu read() throws IOException {
    try {
      return reader.read();
    } catch (java.net.SocketException e) {
      return null; // reset by the peer counts as closed
    }
  }

  AAssociateAC associate(String called) throws IOException {
    send(echoRequest(called));
    return (AAssociateAC) read();
  }

  /** True if the peer closed the connection (after any PDUs, which are returned to nobody). */
  boolean closedByPeer() throws IOException {
    try {
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  static byte[] header(int type, long length) {
    return new byte[] {
      (byte) type,
      0,
      (byte) (length >>> 24),
      (byte) (length >>> 16),
      (byte) (length >>> 8),
      (byte) length
    };
  }

  /** The wire form of a P-DATA-TF PDU with one PDV. */
  static byte[] pData(int pcid, int pdvHeader, byte[] data) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.writeBytes(header(4, data.length + 6));
    long pdvLength = data.length + 2;
    b.write(header(0, pdvLength), 2, 4);
    b.write(pcid);
    b.write(pdvHeader);
    b.writeBytes(data);
    return b.toByteArray();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
