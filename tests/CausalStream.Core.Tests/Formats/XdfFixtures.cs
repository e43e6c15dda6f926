using CausalStream.Core.Formats;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Tests.Formats;

/// <summary>Small XDF files written with <see cref="XdfWriter"/> for round trips and damage tests.</summary>
internal static class XdfFixtures
{
    public static readonly StreamInfo Eeg = new("EEG", "EEG", "amp-1", 4, 100, ChannelFormat.Float32, ["Fz", "Cz", "Pz", "Oz"], ["uV", "uV", "uV", "uV"]);

    public static readonly StreamInfo Markers = new("Markers", "Markers", "task", 1, 0, ChannelFormat.String);

    /// <summary>EEG value of sample i, channel c: exactly representable in float32.</summary>
    public static double Value(int i, int c) => ((i % 97) * 0.25) - (c * 8);

    /// <summary>Writes <paramref name="chunks"/> chunks of <paramref name="chunkSize"/> EEG samples at 100 Hz from t = 10, with a marker after each chunk.</summary>
    public static void WriteEegAndMarkers(string path, int chunks = 10, int chunkSize = 25, long boundaryBytes = 1 << 20)
    {
        using var writer = new XdfWriter(path, boundaryBytes);
        Write(writer, chunks, chunkSize);
    }

    public static void Write(XdfWriter writer, int chunks, int chunkSize)
    {
        int eeg = writer.AddStream(Eeg);
        int markers = writer.AddStream(Markers);
        var stamps = new double[chunkSize];
        var values = new double[chunkSize * 4];
        for (int k = 0; k < chunks; k++)
        {
            for (int j = 0; j < chunkSize; j++)
            {
                int i = (k * chunkSize) + j;
                stamps[j] = 10 + (i / 100.0);
                for (int c = 0; c < 4; c++)
                {
                    values[(j * 4) + c] = Value(i, c);
                }
            }

            writer.WriteSamples(eeg, stamps, values);
            writer.WriteMarker(markers, stamps[^1], "chunk " + k);
        }
    }

    /// <summary>Offsets where each chunk of the file starts (walking the framing).</summary>
    public static List<(long Offset, int Tag)> Chunks(byte[] bytes)
    {
        var list = new List<(long, int)>();
        long p = 4;
        while (p < bytes.Length)
        {
            int n = bytes[p];
            ulong length = n == 1 ? bytes[p + 1] : n == 4 ? BitConverter.ToUInt32(bytes, (int)p + 1) : BitConverter.ToUInt64(bytes, (int)p + 1);
            int tag = BitConverter.ToUInt16(bytes, (int)p + 1 + n);
            list.Add((p, tag));
            p += 1 + n + (long)length;
        }

        return list;
    }
}
