using System.Globalization;
using System.Text;
using CausalStream.Core.Formats;
using CausalStream.Core.Streams;

namespace CausalStream.Bench;

/// <summary>Generates the benchmark recordings once per run under the temp folder: XDF with the XDF writer, EDF with a minimal EDF writer.</summary>
public static class FormatBenchData
{
    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "causalstream-bench-formats");

    /// <summary>An XDF file of <paramref name="channels"/> float32 channels at <paramref name="rate"/> Hz for <paramref name="seconds"/> s, in 32-sample chunks, with a marker stream (1 Hz).</summary>
    public static string Xdf(int channels, double rate, double seconds)
    {
        string path = Path.Combine(Folder, string.Create(CultureInfo.InvariantCulture, $"bench-{channels}ch-{rate}hz-{seconds}s.xdf"));
        if (File.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(Folder);
        string partial = path + ".partial";
        using (var writer = new XdfWriter(new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20), leaveOpen: false, flushEachChunk: false))
        {
            int eeg = writer.AddStream(new StreamInfo("EEG", "EEG", "bench", channels, rate, ChannelFormat.Float32));
            int markers = writer.AddStream(new StreamInfo("Markers", "Markers", "bench", 1, 0, ChannelFormat.String));
            const int Chunk = 32;
            var stamps = new double[Chunk];
            var values = new double[Chunk * channels];
            var random = new Random(5);
            long total = (long)(rate * seconds);
            double nextMarker = 0;
            for (long start = 0; start < total; start += Chunk)
            {
                int n = (int)Math.Min(Chunk, total - start);
                for (int i = 0; i < n; i++)
                {
                    stamps[i] = (start + i) / rate;
                    for (int c = 0; c < channels; c++)
                    {
                        values[(i * channels) + c] = (float)(random.NextDouble() - 0.5);
                    }
                }

                writer.WriteSamples(eeg, stamps.AsSpan(0, n), values.AsSpan(0, n * channels));
                if (stamps[0] >= nextMarker)
                {
                    writer.WriteMarker(markers, stamps[0], "tick");
                    nextMarker += 1;
                }
            }
        }

        File.Move(partial, path, overwrite: true);
        return path;
    }

    /// <summary>An EDF file of <paramref name="channels"/> 16-bit signals at <paramref name="rate"/> Hz, 1 s records, <paramref name="seconds"/> records.</summary>
    public static string Edf(int channels, int rate, int seconds)
    {
        string path = Path.Combine(Folder, string.Create(CultureInfo.InvariantCulture, $"bench-{channels}ch-{rate}hz-{seconds}s.edf"));
        if (File.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(Folder);
        var header = new StringBuilder();
        void Field(string text, int width) => header.Append(text.PadRight(width)[..width]);
        string Number(double v) => v.ToString(CultureInfo.InvariantCulture);
        Field("0", 8);
        Field("X X X X", 80);
        Field("Startdate 01-JAN-2024 X X X", 80);
        Field("01.01.24", 8);
        Field("00.00.00", 8);
        Field(Number(256 * (channels + 1)), 8);
        Field(string.Empty, 44);
        Field(Number(seconds), 8);
        Field("1", 8);
        Field(Number(channels), 4);
        for (int c = 0; c < channels; c++) Field("ch" + Number(c + 1), 16);
        for (int c = 0; c < channels; c++) Field(string.Empty, 80);
        for (int c = 0; c < channels; c++) Field("uV", 8);
        for (int c = 0; c < channels; c++) Field("-3276.8", 8);
        for (int c = 0; c < channels; c++) Field("3276.7", 8);
        for (int c = 0; c < channels; c++) Field("-32768", 8);
        for (int c = 0; c < channels; c++) Field("32767", 8);
        for (int c = 0; c < channels; c++) Field(string.Empty, 80);
        for (int c = 0; c < channels; c++) Field(Number(rate), 8);
        for (int c = 0; c < channels; c++) Field(string.Empty, 32);
        string partial = path + ".partial";
        using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            file.Write(Encoding.Latin1.GetBytes(header.ToString()));
            var record = new byte[channels * rate * 2];
            var random = new Random(6);
            for (int r = 0; r < seconds; r++)
            {
                random.NextBytes(record);
                file.Write(record);
            }
        }

        File.Move(partial, path, overwrite: true);
        return path;
    }
}
