namespace CausalStream.Engine.Discovery;

/// <summary>
/// k-subsets of {0, …, n−1} in lexicographic order (the order Python's itertools.combinations yields), held as
/// ascending index arrays and advanced in place without allocation.
/// </summary>
internal static class Combinations
{
    /// <summary>Sets the first k-subset; false when there is none (k &gt; n).</summary>
    public static bool First(Span<int> subset, int k, int n)
    {
        if (k > n)
        {
            return false;
        }
        for (int i = 0; i < k; i++)
        {
            subset[i] = i;
        }
        return true;
    }

    /// <summary>Advances to the next k-subset; false after the last.</summary>
    public static bool Next(Span<int> subset, int k, int n)
    {
        int i = k - 1;
        while (i >= 0 && subset[i] == n - k + i)
        {
            i--;
        }
        if (i < 0)
        {
            return false;
        }
        subset[i]++;
        for (int m = i + 1; m < k; m++)
        {
            subset[m] = subset[m - 1] + 1;
        }
        return true;
    }
}
