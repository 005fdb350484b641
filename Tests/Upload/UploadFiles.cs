namespace ChartCraft.Tests.Upload;

/// <summary>Test inputs under Data/Upload, and scratch files that a test writes and removes.</summary>
public sealed class UploadFiles : IDisposable
{
    readonly string _scratch = Directory.CreateTempSubdirectory("chartcraft-upload-tests-").FullName;

    public static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "Upload", name);

    /// <summary>A path in this test's scratch folder.</summary>
    public string Scratch(string name) => Path.Combine(_scratch, name);

    public string WriteBytes(string name, byte[] bytes)
    {
        var path = Scratch(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string WriteText(string name, string text) => WriteBytes(name, System.Text.Encoding.UTF8.GetBytes(text));

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
