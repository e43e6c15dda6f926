using System.Net;
using System.Net.Sockets;
using System.Text;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Inlet;
using CausalStream.Lsl.Outlet;
using CausalStream.Lsl.Protocol;
using CausalStream.Lsl.Time;

namespace CausalStream.Lsl.Tests.Time;

public class LslTimeCorrectorTests
{
    [Fact]
    public void LocalClockIsTheMonotonicClockInSeconds()
    {
        double a = LslClock.Now;
        double b = LslClock.Now;
        Assert.True(b >= a);
        Assert.InRange(Math.Abs(LslClock.Now - MonotonicClock.ToSeconds(MonotonicClock.Now)), 0, 0.01);
    }

    [Fact]
    public void OffsetAndRoundTripFollowTheProtocolFormulas()
    {
        var probe = new LslTimeProbe(1, T0: 10.0, T1: 15.001, T2: 15.002);
        Assert.Equal(0.002, probe.RoundTrip(10.003), 12);
        Assert.Equal(5.0, probe.Offset(10.003), 12);
    }

    [Fact]
    public async Task CorrectionOnLoopbackIsWithinOneMillisecond()
    {
        var token = Loopback.Timeout();
        await using var outlet = new LslOutlet(Loopback.Stream("tc", ChannelFormat.Float32, 1, 100), Loopback.OutletOptions());
        await using var inlet = new LslInlet(Loopback.Resolved(outlet), Loopback.InletOptions());
        double correction = await inlet.GetTimeCorrectionAsync(TimeSpan.FromSeconds(3), token);
        Assert.False(double.IsNaN(correction));
        Assert.InRange(correction, -0.001, 0.001);
        Assert.InRange(inlet.TimeCorrectionUncertainty, 0, 0.005);
    }

    [Fact]
    public async Task ARemoteClockOffsetIsMeasuredWithinOneMillisecond()
    {
        var token = Loopback.Timeout();
        const double remoteAhead = 5.25;
        using var fake = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        fake.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var server = Task.Run(async () =>
        {
            var buffer = new byte[512];
            EndPoint any = new IPEndPoint(IPAddress.Any, 0);
            while (!stop.IsCancellationRequested)
            {
                var r = await fake.ReceiveFromAsync(buffer, SocketFlags.None, any, stop.Token);
                double t1 = LslClock.Now + remoteAhead;
                string[] lines = Encoding.ASCII.GetString(buffer, 0, r.ReceivedBytes).Split("\r\n");
                if (LslTimeProbe.TryParseRequest(lines[1], out int wave, out double t0))
                {
                    await fake.SendToAsync(LslTimeProbe.WriteReply(wave, t0, t1, LslClock.Now + remoteAhead), SocketFlags.None, r.RemoteEndPoint, stop.Token);
                }
            }
        }, stop.Token);

        await using var corrector = new LslTimeCorrector((IPEndPoint)fake.LocalEndPoint!, Loopback.Config);
        Assert.True(await corrector.WaitForEstimateAsync(TimeSpan.FromSeconds(3), token));
        Assert.InRange(corrector.Correction, -remoteAhead - 0.001, -remoteAhead + 0.001);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server);
    }

    [Fact]
    public async Task CorrectedTimestampsMatchTheLocalClock()
    {
        var token = Loopback.Timeout();
        await using var outlet = new LslOutlet(Loopback.Stream("tc-applied", ChannelFormat.Double64, 1, 0), Loopback.OutletOptions());
        await using var inlet = new LslInlet(Loopback.Resolved(outlet), Loopback.InletOptions(timeCorrection: true));
        await inlet.OpenAsync(token);
        Assert.False(double.IsNaN(inlet.TimeCorrection));
        await outlet.WaitForConsumersAsync(TimeSpan.FromSeconds(5), token);
        double sent = LslClock.Now;
        outlet.PushSample([1.0], sent);
        var (_, stamps) = await Loopback.ReadAsync(inlet, 1, token);
        Assert.InRange(stamps[0] - sent, -0.001, 0.001);
    }
}
