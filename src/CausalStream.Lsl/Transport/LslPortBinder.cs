using System.Net;
using System.Net.Sockets;
using CausalStream.Lsl.Configuration;

namespace CausalStream.Lsl.Transport;

/// <summary>
/// Binds sockets the way liblsl does: the first free port of BasePort..BasePort+PortRange−1 (16572–16603 by
/// default), else an OS-chosen port when AllowRandomPorts is on. TCP listeners are bound without address reuse.
/// </summary>
public static class LslPortBinder
{
    /// <summary>The address outlet sockets bind to: ListenAddress, or any IPv4 address.</summary>
    public static IPAddress LocalAddress(LslApiConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return string.IsNullOrWhiteSpace(config.ListenAddress) ? IPAddress.Any : IPAddress.Parse(config.ListenAddress);
    }

    /// <summary>A UDP socket bound to a port of the range (or a random one).</summary>
    public static Socket BindUdp(LslApiConfig config, IPAddress address)
        => Bind(config, address, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));

    /// <summary>A listening TCP socket bound to a port of the range (or a random one).</summary>
    public static Socket BindTcpListener(LslApiConfig config, IPAddress address, int backlog = 10)
    {
        var socket = Bind(config, address, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, false);
            return s;
        });
        socket.Listen(backlog);
        return socket;
    }

    private static Socket Bind(LslApiConfig config, IPAddress address, Func<Socket> create)
    {
        for (int i = 0; i < config.PortRange; i++)
        {
            var socket = create();
            try
            {
                socket.Bind(new IPEndPoint(address, config.BasePort + i));
                return socket;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                socket.Dispose();
            }
        }

        if (!config.AllowRandomPorts)
        {
            throw new SocketException((int)SocketError.AddressAlreadyInUse);
        }

        var fallback = create();
        fallback.Bind(new IPEndPoint(address, 0));
        return fallback;
    }
}
