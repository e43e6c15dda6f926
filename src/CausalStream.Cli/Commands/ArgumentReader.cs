using System.Globalization;

namespace CausalStream.Cli.Commands;

/// <summary>Reads <c>--name value</c> options and positional arguments of one command, refusing anything unknown.</summary>
public sealed class ArgumentReader
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];
    private readonly Dictionary<string, List<string>> _repeated = new(StringComparer.Ordinal);

    /// <param name="command">The command's name, for messages.</param>
    /// <param name="args">The arguments after the command.</param>
    /// <param name="valueOptions">Options that take one value.</param>
    /// <param name="flagOptions">Options without a value.</param>
    /// <param name="repeatableOptions">Options that take a value and may be given any number of times (e.g. --set).</param>
    public ArgumentReader(string command, IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string>? flagOptions = null, IReadOnlyCollection<string>? repeatableOptions = null)
    {
        flagOptions ??= [];
        repeatableOptions ??= [];
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                string name = arg;
                string? value = null;
                int eq = arg.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    name = arg[..eq];
                    value = arg[(eq + 1)..];
                }

                if (flagOptions.Contains(name))
                {
                    _flags.Add(name);
                    continue;
                }

                if (!valueOptions.Contains(name) && !repeatableOptions.Contains(name))
                {
                    throw new UsageException($"{command}: unknown option '{name}' (see 'causalstream {command} --help')");
                }

                if (value is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        throw new UsageException($"{command}: option '{name}' needs a value");
                    }

                    value = args[++i];
                }

                if (repeatableOptions.Contains(name))
                {
                    if (!_repeated.TryGetValue(name, out var values))
                    {
                        _repeated[name] = values = [];
                    }

                    values.Add(value);
                }
                else if (!_options.TryAdd(name, value))
                {
                    throw new UsageException($"{command}: option '{name}' given twice");
                }
            }
            else
            {
                _positionals.Add(arg);
            }
        }
    }

    public IReadOnlyList<string> Positionals => _positionals;

    public bool Flag(string name) => _flags.Contains(name);

    public string? String(string name) => _options.GetValueOrDefault(name);

    /// <summary>Every value of a repeatable option, in command-line order (empty when absent).</summary>
    public IReadOnlyList<string> Strings(string name) => _repeated.TryGetValue(name, out var values) ? values : [];

    public double? PositiveDouble(string command, string name)
    {
        if (!_options.TryGetValue(name, out var text))
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value <= 0)
        {
            throw new UsageException($"{command}: option '{name}' needs a positive number, got '{text}'");
        }

        return value;
    }
}
