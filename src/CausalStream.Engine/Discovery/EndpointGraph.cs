using System.Text;

namespace CausalStream.Engine.Discovery;

/// <summary>
/// A graph over d nodes stored as an endpoint matrix: <c>this[a, b]</c> is the mark at node a on the edge a–b
/// (<see cref="EndpointMark.None"/> on both sides when a and b are not adjacent). a → b is Tail at a, Arrow at b.
/// </summary>
public sealed class EndpointGraph
{
    private readonly EndpointMark[,] _marks;

    /// <summary>Creates an empty graph (no edges) over <paramref name="nodes"/> nodes.</summary>
    public EndpointGraph(int nodes)
    {
        Nodes = nodes;
        _marks = new EndpointMark[nodes, nodes];
    }

    /// <summary>Number of nodes.</summary>
    public int Nodes { get; }

    /// <summary>Mark at node a on the edge a–b.</summary>
    public EndpointMark this[int a, int b]
    {
        get => _marks[a, b];
        set => _marks[a, b] = value;
    }

    /// <summary>Whether a and b are adjacent.</summary>
    public bool Adjacent(int a, int b) => _marks[a, b] != EndpointMark.None;

    /// <summary>Sets the edge a–b with the given marks at a and at b.</summary>
    public void SetEdge(int a, int b, EndpointMark atA, EndpointMark atB)
    {
        _marks[a, b] = atA;
        _marks[b, a] = atB;
    }

    /// <summary>Removes the edge a–b.</summary>
    public void RemoveEdge(int a, int b) => SetEdge(a, b, EndpointMark.None, EndpointMark.None);

    /// <summary>True for a → b (tail at a, arrow at b).</summary>
    public bool IsDirected(int a, int b) => _marks[a, b] == EndpointMark.Tail && _marks[b, a] == EndpointMark.Arrow;

    /// <summary>True for a — b (tails at both ends).</summary>
    public bool IsUndirected(int a, int b) => _marks[a, b] == EndpointMark.Tail && _marks[b, a] == EndpointMark.Tail;

    /// <summary>Adjacent nodes of a, ascending.</summary>
    public List<int> Neighbors(int a)
    {
        var list = new List<int>();
        for (int b = 0; b < Nodes; b++)
        {
            if (b != a && _marks[a, b] != EndpointMark.None)
            {
                list.Add(b);
            }
        }
        return list;
    }

    /// <summary>The endpoint matrix in causal-learn's integer codes.</summary>
    public int[,] ToMatrix()
    {
        var m = new int[Nodes, Nodes];
        for (int a = 0; a < Nodes; a++)
        {
            for (int b = 0; b < Nodes; b++)
            {
                m[a, b] = (int)_marks[a, b];
            }
        }
        return m;
    }

    /// <summary>A copy of this graph.</summary>
    public EndpointGraph Clone()
    {
        var g = new EndpointGraph(Nodes);
        Array.Copy(_marks, g._marks, _marks.Length);
        return g;
    }

    /// <summary>The edge a–b written as e.g. "X0 o-> X6" (mark at a, then mark at b).</summary>
    public string EdgeText(int a, int b, IReadOnlyList<string> names)
    {
        var sb = new StringBuilder();
        sb.Append(names[a]).Append(' ');
        sb.Append(_marks[a, b] switch { EndpointMark.Arrow => '<', EndpointMark.Circle => 'o', _ => '-' });
        sb.Append('-');
        sb.Append(_marks[b, a] switch { EndpointMark.Arrow => '>', EndpointMark.Circle => 'o', _ => '-' });
        sb.Append(' ').Append(names[b]);
        return sb.ToString();
    }
}
