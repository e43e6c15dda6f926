using System.Globalization;
using CausalStream.Core.Formats;

namespace CausalStream.Engine.Effects;

/// <summary>
/// Reads a general CSV table (a header of column names, then one row per event) into an
/// <see cref="EffectTable"/>. Empty fields, <c>nan</c> and <c>NA</c> are missing values (NaN); any other
/// unreadable field, a duplicate or empty column name, or a row with the wrong number of fields is a
/// <see cref="DataFormatException"/> naming the file, line and column.
/// </summary>
public static class EffectTableReader
{
    public static EffectTable Read(string path)
    {
        StreamReader reader;
        try
        {
            reader = new StreamReader(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, "(file)", $"cannot open: {ex.Message}");
        }

        using (reader)
        {
            return Read(reader, path);
        }
    }

    public static EffectTable Read(TextReader reader, string name)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string? header = reader.ReadLine();
        if (header is null)
        {
            throw new DataFormatException(name, "line 1", "the file is empty; expected a header of column names");
        }

        var names = header.TrimStart('\uFEFF').Split(',').Select(s => s.Trim()).ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < names.Length; c++)
        {
            if (names[c].Length == 0)
            {
                throw new DataFormatException(name, $"line 1, column {c + 1}", "empty column name");
            }

            if (!seen.Add(names[c]))
            {
                throw new DataFormatException(name, $"line 1, column {c + 1}", $"column name '{names[c]}' appears twice");
            }
        }

        var columns = names.Select(_ => new List<double>()).ToArray();
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
            if (fields.Length != names.Length)
            {
                throw new DataFormatException(name, $"line {lineNumber}", $"{fields.Length} fields, the header has {names.Length}");
            }

            for (int c = 0; c < fields.Length; c++)
            {
                var text = fields[c].AsSpan().Trim();
                if (text.Length == 0 || text.Equals("nan", StringComparison.OrdinalIgnoreCase) || text.Equals("na", StringComparison.OrdinalIgnoreCase))
                {
                    columns[c].Add(double.NaN);
                }
                else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
                {
                    columns[c].Add(value);
                }
                else
                {
                    string shown = fields[c].Length <= 40 ? fields[c] : fields[c][..37] + "...";
                    throw new DataFormatException(name, $"line {lineNumber}, column {c + 1} ({names[c]})", $"'{shown}' is not a finite number");
                }
            }
        }

        return new EffectTable(name, names, columns.Select(l => l.ToArray()).ToArray());
    }
}
