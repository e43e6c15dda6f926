using System.Net;
using System.Net.Sockets;

namespace CausalStream.Lsl.Tests.Inlet;

/// <summary>
/// A fake outlet on 127.0.0.1 that answers the n-th TCP connection with the n-th scripted reply (the last one
/// repeats) after reading the request, then keeps the connection open (or closes it when the script says so).
/// </summary>
internal sealed class ScriptedFeedServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<(byte[] Reply, bool Close)> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _open = [];
    private readonly Task _loop;

    public ScriptedFeedServer(params (byte[] Reply, bool Close)[] script)
    {
        _script = [.. script];
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_open)
        {
            foreach (var s in _open)
            {
                s.Dispose();
            }
        }

        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            int index = Math.Min(Connections, _script.Count - 1);
            Connections++;
            var (reply, close) = _script[index];
            var buffer = new byte[4096];
            var request = new List<byte>();
            while (true)
            {
                int n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0)
                {
                    break;
                }

                request.AddRange(buffer.AsSpan(0, n).ToArray());
                string text = System.Text.Encoding.ASCII.GetString(request.ToArray());
                if (text.Contains("\r\n\r\n", StringComparison.Ordinal) || (text.StartsWith("LSL:streamfeed\r\n", StringComparison.Ordinal) && text.Split("\r\n").Length >= 3) || text == "LSL:fullinfo\r\n")
                {
                    break;
                }
            }

            await socket.SendAsync(reply, SocketFlags.None, _stop.Token);
            if (close)
            {
                socket.Shutdown(SocketShutdown.Both);
                socket.Dispose();
            }
            else
            {
                lock (_open)
                {
                    _open.Add(socket);
                }
            }
        }
    }
}
