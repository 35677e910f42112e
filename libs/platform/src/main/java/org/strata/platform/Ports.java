package org.strata.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

final class Ports {
  private Ports() {}

  /** A port that was free a moment ago; 0 in, a free port out, anything else unchanged. */
  static int resolve(int port, String host) {
    if (port != 0) {
      return port;
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + host, e);
    }
  }

  static boolean isOpen(String host, int port) {
    try (Socket socket = new Socket(host, port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static void requireFree(String host, int port, String what) {
    if (isOpen(host, port)) {
      throw new PlatformException(
          what
              + ": port "
              + port
              + " on "
              + host
              + " is already in use (another `make run`? stop it, or choose another port)");
    }
  }
}
