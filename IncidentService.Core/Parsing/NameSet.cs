using System.Text;

namespace IncidentService.Core.Parsing;

/// <summary>
/// The names already seen in one JSON object, as unescaped UTF-8, to find a name given twice. A handful of names (any
/// upstream item) are compared in place; an object with many names switches to hashing, so a hostile item of a
/// hundred thousand names costs no quadratic time.
/// </summary>
internal sealed class NameSet
{
    private const int LinearLimit = 16;

    private readonly List<(int Start, int Length)> _names = [];
    private byte[] _bytes = new byte[256];
    private int _used;
    private HashSet<string>? _many;

    public void Clear()
    {
        _names.Clear();
        _used = 0;
        _many = null;
    }

    /// <summary>False when <paramref name="name"/> is already in the set.</summary>
    public bool Add(ReadOnlySpan<byte> name)
    {
        if (_many is not null)
        {
            return _many.Add(Encoding.UTF8.GetString(name));
        }

        foreach (var (start, length) in _names)
        {
            if (name.SequenceEqual(_bytes.AsSpan(start, length)))
            {
                return false;
            }
        }

        if (_names.Count == LinearLimit)
        {
            _many = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (start, length) in _names)
            {
                _many.Add(Encoding.UTF8.GetString(_bytes, start, length));
            }

            return _many.Add(Encoding.UTF8.GetString(name));
        }

        if (_bytes.Length - _used < name.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + name.Length));
        }

        name.CopyTo(_bytes.AsSpan(_used));
        _names.Add((_used, name.Length));
        _used += name.Length;
        return true;
    }
}
