using System.Globalization;

namespace CausalStream.Core.Formats;

/// <summary>
/// Reads a sample table in CSV: a header <c>t,&lt;channel names&gt;</c>, then one row per sample with the time
/// in seconds. A bad header is fatal; a bad row (wrong field count, unreadable or non-increasing time) is
/// skipped and an unreadable value becomes NaN, each with a problem naming the file, line and column, so one
/// damaged line does not lose the rest of the recording. Empty fields and NaN become NaN.
/// </summary>
public static class CsvSampleReader
{
    public static CsvSamples Read(string path)
    {
        using var reader = OpenText(path);
        return Read(reader, path);
    }

    public static CsvSamples Read(TextReader reader, string name)
    {
        string? header = reader.ReadLine();
        if (header is null)
        {
            throw new DataFormatException(name, "line 1", "the file is empty; expected a header 't,<channel names>'");
        }

        var columns = header.TrimStart('\uFEFF').Split(',');
        if (columns.Length < 2 || !string.Equals(columns[0].Trim(), "t", StringComparison.OrdinalIgnoreCase))
        {
            throw new DataFormatException(name, "line 1", $"expected a header 't,<channel names>', got '{Shorten(header)}'");
        }

        var channels = new string[columns.Length - 1];
        for (int c = 1; c < columns.Length; c++)
        {
            channels[c - 1] = columns[c].Trim();
            if (channels[c - 1].Length == 0)
            {
                throw new DataFormatException(name, $"line 1, column {c + 1}", "empty channel name");
            }
        }

        var times = new List<double>();
        var values = new List<double>();
        var problems = new List<string>();
        int skipped = 0;
        int lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split(',');
            if (fields.Length != columns.Length)
            {
                skipped++;
                problems.Add($"{name}: line {lineNumber}: {fields.Length} fields, the header has {columns.Length}; row skipped");
                continue;
            }

            if (!TryParse(fields[0], out double t))
            {
                skipped++;
                problems.Add($"{name}: line {lineNumber}, column 1: time '{Shorten(fields[0])}' is not a finite number; row skipped");
                continue;
            }

            if (times.Count > 0 && !(t > times[^1]))
            {
                skipped++;
                problems.Add($"{name}: line {lineNumber}, column 1: time {fields[0].Trim()} does not increase (previous row: {times[^1].ToString("R", CultureInfo.InvariantCulture)}); row skipped");
                continue;
            }

            times.Add(t);
            for (int c = 1; c < fields.Length; c++)
            {
                var text = fields[c].AsSpan().Trim();
                if (text.Length == 0 || text.Equals("nan", StringComparison.OrdinalIgnoreCase))
                {
                    values.Add(double.NaN);
                }
                else if (TryParse(fields[c], out double value))
                {
                    values.Add(value);
                }
                else
                {
                    values.Add(double.NaN);
                    problems.Add($"{name}: line {lineNumber}, column {c + 1}: '{Shorten(fields[c])}' is not a finite number; read as NaN");
                }
            }
        }

        if (times.Count == 0)
        {
            throw new DataFormatException(name, "line 2", "no readable data rows after the header");
        }

        return new CsvSamples(name, channels, [.. times], [.. values]) { Problems = problems, SkippedRows = skipped };
    }

    private static bool TryParse(string field, out double value)
        => double.TryParse(field.AsSpan().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static StreamReader OpenText(string path)
    {
        try
        {
            return new StreamReader(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, "(file)", $"cannot open: {ex.Message}");
        }
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
