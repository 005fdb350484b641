using System.Buffers;

namespace ChartCraft.Features.Upload.Parsing;

/// <summary>
/// The large scratch arrays one read borrows (field offsets, parsed numbers and date parts of a column): a few MB each
/// for a 10 MB file, so allocating them per read would churn the large-object heap.
/// </summary>
/// <remarks>
/// Not <see cref="ArrayPool{T}.Shared"/>: that pool also keeps one array per size in every thread that returned one, and
/// frees them only after a minute unused, so a few uploads on a dozen thread-pool threads left about 150 MB of these
/// buffers in the process (the large-object heap held 275 MB after a full collection, five data sets of 9 MB each
/// among it). This pool keeps at most <see cref="KeptPerSize"/> arrays of each size for all threads together: the
/// buffers of two reads at a time; a read beyond that allocates, and its arrays are dropped when it returns them.
/// </remarks>
static class ParseBuffers<T>
{
    const int KeptPerSize = 2;

    public static ArrayPool<T> Pool { get; } = ArrayPool<T>.Create(maxArrayLength: 1 << 27, maxArraysPerBucket: KeptPerSize);
}
