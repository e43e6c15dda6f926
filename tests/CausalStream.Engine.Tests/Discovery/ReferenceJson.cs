using System.Text.Json;
using CausalStream.Engine.Discovery;

namespace CausalStream.Engine.Tests.Discovery;

/// <summary>Helpers to read the peer reference JSON (tigramite, causal-learn) stored under Fixtures.</summary>
internal static class ReferenceJson
{
    public static double[,,] Cube(JsonElement e)
    {
        int n = e.GetArrayLength();
        int m = e[0].GetArrayLength();
        int t = e[0][0].GetArrayLength();
        var cube = new double[n, m, t];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                for (int k = 0; k < t; k++)
                {
                    cube[i, j, k] = e[i][j][k].GetDouble();
                }
            }
        }
        return cube;
    }

    public static string[,,] StringCube(JsonElement e)
    {
        int n = e.GetArrayLength();
        int m = e[0].GetArrayLength();
        int t = e[0][0].GetArrayLength();
        var cube = new string[n, m, t];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                for (int k = 0; k < t; k++)
                {
                    cube[i, j, k] = e[i][j][k].GetString() ?? string.Empty;
                }
            }
        }
        return cube;
    }

    /// <summary>A tigramite [i, -tau] pair as a lagged variable.</summary>
    public static LaggedVariable Lagged(JsonElement pair) => new(pair[0].GetInt32(), -pair[1].GetInt32());

    public static List<LaggedVariable> LaggedList(JsonElement list)
    {
        var result = new List<LaggedVariable>();
        foreach (var e in list.EnumerateArray())
        {
            result.Add(Lagged(e));
        }
        return result;
    }

    public static int[,] Matrix(JsonElement e)
    {
        int n = e.GetArrayLength();
        var m = new int[n, n];
        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b < n; b++)
            {
                m[a, b] = e[a][b].GetInt32();
            }
        }
        return m;
    }

    /// <summary>True when |a − b| ≤ rel·|b| or |a − b| ≤ abs.</summary>
    public static bool Close(double actual, double expected, double rel, double abs) =>
        Math.Abs(actual - expected) <= Math.Max(abs, rel * Math.Abs(expected));
}
