using System.Net.Sockets;

namespace CausalStream.Lsl.Transport;

/// <summary>
/// TCP keep-alive for data connections (15 s idle, then 5 probes 1 s apart), so a peer that vanished without closing
/// its connection is noticed on both ends; stands in for liblsl's inlet watchdog.
/// </summary>
internal static class LslKeepAlive
{
    public static void Enable(Socket socket)
    {
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 15);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 1);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 5);
        }
        catch (SocketException)
        {
            // Not supported on this platform: a vanished peer is then noticed only when a send fails.
        }
    }
}
