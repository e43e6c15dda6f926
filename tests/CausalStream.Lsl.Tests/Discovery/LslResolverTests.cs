using System.Net;
using System.Net.Sockets;
using System.Text;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Discovery;
using CausalStream.Lsl.Outlet;
using CausalStream.Lsl.Protocol;
using CausalStream.Lsl.Transport;

namespace CausalStream.Lsl.Tests.Discovery;

public class LslResolverTests
{
    [Fact]
    public async Task ResolvesByNameAndPredicateOverLoopback()
    {
        var token = Loopback.Timeout();
        await using var eeg = new LslOutlet(Loopback.Stream("res-eeg", ChannelFormat.Float32, 8, 256, "amp-1"), Loopback.OutletOptions());
        await using var markers = new LslOutlet(Loopback.Stream("res-markers", ChannelFormat.String, 1, 0) with { Type = "Markers" }, Loopback.OutletOptions());
        var resolver = new LslResolver(Loopback.Config);

        var byName = await resolver.ResolveAsync(LslQuery.ByProperty("name", "res-eeg"), 1, TimeSpan.FromSeconds(3), token);
        var found = Assert.Single(byName);
        Assert.Equal(eeg.Info.Uid, found.Uid);
        Assert.Equal("127.0.0.1", found.V4Address);
        Assert.Equal(eeg.DataPort, found.V4DataPort);

        var byPredicate = await resolver.ResolveAsync(LslQuery.ByPredicate("type='Markers' and channel_count<2"), 1, TimeSpan.FromSeconds(3), token);
        Assert.Equal(markers.Info.Uid, Assert.Single(byPredicate).Uid);

        var all = await resolver.ResolveAllAsync(TimeSpan.FromSeconds(1.2), token);
        Assert.Contains(all, s => s.Uid == eeg.Info.Uid);
        Assert.Contains(all, s => s.Uid == markers.Info.Uid);
        Assert.Equal(all.Count, all.Select(s => s.Uid).Distinct().Count());

        var none = await resolver.ResolveAsync(LslQuery.ByProperty("name", "nothing-here"), 1, TimeSpan.FromSeconds(0.7), token);
        Assert.Empty(none);
    }

    [Fact]
    public async Task DiscoveryResponderOnTheMulticastPortAnswersUnicast()
    {
        var token = Loopback.Timeout();
        await using var outlet = new LslOutlet(Loopback.Stream("res-responder", ChannelFormat.Double64, 2, 100), Loopback.OutletOptions(responder: true));
        Assert.True(outlet.HasDiscoveryResponder);
        var machineOnly = new LslResolver(Loopback.Config with { KnownPeers = [] });
        var found = await machineOnly.ResolveAsync(LslQuery.ByProperty("name", "res-responder"), 1, TimeSpan.FromSeconds(3), token);
        Assert.Equal(outlet.Info.Uid, Assert.Single(found).Uid);
    }

    [Fact]
    public async Task DatagramsThatAreNotLslAreIgnoredAndCounted()
    {
        var token = Loopback.Timeout();
        await using var outlet = new LslOutlet(Loopback.Stream("res-garbage", ChannelFormat.Int16, 2, 100), Loopback.OutletOptions());
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var service = new IPEndPoint(IPAddress.Loopback, outlet.ServicePort);
        await sender.SendToAsync(new byte[] { 0xde, 0xad, 0xbe, 0xef, 0x0a, 0x00 }, SocketFlags.None, service, token);
        await sender.SendToAsync(Encoding.ASCII.GetBytes("LSL:shortinfo\r\nname='x'\r\nnot-a-port id\r\n"), SocketFlags.None, service, token);
        await sender.SendToAsync(Encoding.ASCII.GetBytes("LSL:timedata\r\ngarbage\r\n"), SocketFlags.None, service, token);
        await sender.SendToAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n\r\n"), SocketFlags.None, service, token);
        for (int i = 0; i < 100 && outlet.InvalidDatagrams < 4; i++)
        {
            await Task.Delay(10, token);
        }

        Assert.Equal(4, outlet.InvalidDatagrams);
        var found = await new LslResolver(Loopback.Config).ResolveAsync(LslQuery.ByProperty("name", "res-garbage"), 1, TimeSpan.FromSeconds(3), token);
        Assert.Single(found);
    }

    [Fact]
    public async Task HostileOrMalformedRepliesAreSkipped()
    {
        var token = Loopback.Timeout();
        await using var outlet = new LslOutlet(Loopback.Stream("res-hostile", ChannelFormat.Float32, 1, 10), Loopback.OutletOptions());

        // A fake peer on a port of the range that answers every query with hostile or broken documents.
        using var fake = LslPortBinder.BindUdp(Loopback.Config, IPAddress.Loopback);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var fakeTask = Task.Run(async () =>
        {
            var buffer = new byte[65536];
            EndPoint any = new IPEndPoint(IPAddress.Any, 0);
            while (!stop.IsCancellationRequested)
            {
                var r = await fake.ReceiveFromAsync(buffer, SocketFlags.None, any, stop.Token);
                if (!LslShortInfoQuery.TryParse(LslShortInfoQuery.SplitLines(buffer.AsSpan(0, r.ReceivedBytes)), out var q, out _))
                {
                    continue;
                }

                var to = new IPEndPoint(((IPEndPoint)r.RemoteEndPoint).Address, q!.ReturnPort);
                string hostile = "<?xml version=\"1.0\"?><!DOCTYPE info [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><info><name>&b;</name></info>";
                await fake.SendToAsync(Encoding.UTF8.GetBytes(q.QueryId + "\r\n" + hostile), SocketFlags.None, to, stop.Token);
                await fake.SendToAsync(Encoding.UTF8.GetBytes(q.QueryId + "\r\n<info><name>x</name>"), SocketFlags.None, to, stop.Token);
                await fake.SendToAsync(new byte[] { 1, 2, 3 }, SocketFlags.None, to, stop.Token);
            }
        }, stop.Token);

        var messages = new List<string>();
        var resolver = new LslResolver(Loopback.Config, m => { lock (messages) { messages.Add(m); } });
        var found = await resolver.ResolveAsync(LslQuery.ByProperty("name", "res-hostile"), 1, TimeSpan.FromSeconds(3), token, TimeSpan.FromSeconds(1.2));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fakeTask);
        Assert.Equal(outlet.Info.Uid, Assert.Single(found).Uid);
        Assert.True(resolver.InvalidReplies >= 3, $"invalid replies: {resolver.InvalidReplies}");
        lock (messages)
        {
            Assert.Contains(messages, m => m.Contains("DTD", StringComparison.Ordinal) && m.Contains("at byte", StringComparison.Ordinal));
        }
    }
}
