namespace ChartCraft.Features.Upload.Inference;

/// <summary>The ways data files write true and false.</summary>
public static class BooleanText
{
    /// <summary>true/false, yes/no, y/n, t/f in any case; 0/1 only when <paramref name="zeroOne"/> (the header names a flag).</summary>
    public static bool TryParse(ReadOnlySpan<char> s, bool zeroOne, out bool value)
    {
        value = false;
        switch (s.Length)
        {
            case 1:
                switch (s[0])
                {
                    case 'y' or 'Y' or 't' or 'T': value = true; return true;
                    case 'n' or 'N' or 'f' or 'F': return true;
                    case '1' when zeroOne: value = true; return true;
                    case '0' when zeroOne: return true;
                    default: return false;
                }
            case 2:
                return s.Equals("no", StringComparison.OrdinalIgnoreCase);
            case 3:
                return value = s.Equals("yes", StringComparison.OrdinalIgnoreCase);
            case 4:
                return value = s.Equals("true", StringComparison.OrdinalIgnoreCase);
            case 5:
                return s.Equals("false", StringComparison.OrdinalIgnoreCase);
            default:
                return false;
        }
    }
}
