namespace CausalStream.Dashboard.Streaming;

/// <summary>A fixed-size ring of the most recent items, oldest overwritten first; not thread-safe (the hub locks).</summary>
internal sealed class RecentItems<T>
    where T : class
{
    private readonly T?[] _items;
    private int _head;
    private int _count;

    public RecentItems(int capacity)
    {
        _items = new T?[Math.Max(0, capacity)];
    }

    public int Count => _count;

    public void Add(T item)
    {
        if (_items.Length == 0)
        {
            return;
        }

        _items[_head] = item;
        _head = (_head + 1) % _items.Length;
        _count = Math.Min(_count + 1, _items.Length);
    }

    /// <summary>The items, oldest first, in a new array.</summary>
    public T[] ToArray()
    {
        var copy = new T[_count];
        int start = (_head - _count + _items.Length) % Math.Max(1, _items.Length);
        for (int i = 0; i < _count; i++)
        {
            copy[i] = _items[(start + i) % _items.Length]!;
        }

        return copy;
    }
}
