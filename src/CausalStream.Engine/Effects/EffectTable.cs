namespace CausalStream.Engine.Effects;

/// <summary>
/// A CSV event table read into columns of doubles: one row per unit or event, named columns, missing values as
/// NaN. Used by the effect estimators, which pick their treatment, outcome and covariate columns by name.
/// </summary>
public sealed class EffectTable
{
    private readonly Dictionary<string, int> _index;

    public EffectTable(string name, IReadOnlyList<string> columnNames, IReadOnlyList<double[]> columns)
    {
        ArgumentNullException.ThrowIfNull(columnNames);
        ArgumentNullException.ThrowIfNull(columns);
        if (columnNames.Count != columns.Count)
        {
            throw new ArgumentException("one name per column is needed", nameof(columnNames));
        }

        Name = name;
        ColumnNames = [.. columnNames];
        Columns = [.. columns];
        Rows = columns.Count == 0 ? 0 : columns[0].Length;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < ColumnNames.Count; c++)
        {
            _index.TryAdd(ColumnNames[c], c);
        }
    }

    /// <summary>The file or source name, used in messages.</summary>
    public string Name { get; }

    /// <summary>Column names in file order.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Column values; NaN marks a missing value.</summary>
    public IReadOnlyList<double[]> Columns { get; }

    /// <summary>Number of data rows.</summary>
    public int Rows { get; }

    /// <summary>The column with this exact name, or null when the table has none.</summary>
    public double[]? Column(string name) => _index.TryGetValue(name, out int c) ? Columns[c] : null;
}
