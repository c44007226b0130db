namespace Jisr.Server.Endpoints;

/// <summary>Turning lists of domain items into lists of responses.</summary>
internal static class Responses
{
    /// <summary>Maps each item to its response, in order (a mapping may look agencies up, hence asynchronous).</summary>
    public static async Task<IEnumerable<TResponse>> EachAsync<T, TResponse>(this Task<List<T>> items, Func<T, Task<TResponse>> map)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(map);
        var responses = new List<TResponse>();
        foreach (var item in await items)
        {
            responses.Add(await map(item));
        }

        return responses;
    }
}
