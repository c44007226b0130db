namespace Jisr.Server.Errors;

/// <summary>Turns an application service's <see cref="Outcome{T}"/> into the HTTP answer: the one mapping of refusals to 404, 403 and 409.</summary>
public static class OutcomeResults
{
    public static IResult ToProblem(this Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return refusal.Kind switch
        {
            RefusalKind.NotFound => ProblemResponses.NotFound(refusal.Detail),
            RefusalKind.Forbidden => ProblemResponses.Forbidden(refusal.Detail),
            RefusalKind.Conflict => ProblemResponses.Conflict(refusal.Detail),
        };
    }

    /// <summary>200 with the value mapped to its response, or the refusal's problem.</summary>
    public static async Task<IResult> OkAsync<T, TResponse>(this Task<Outcome<T>> outcome, Func<T, Task<TResponse>> respond)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(respond);
        var done = await outcome;
        return done.Refusal is { } refusal ? refusal.ToProblem() : Results.Ok(await respond(done.Value!));
    }

    /// <summary>The answer the value calls for (a file, or 200 or 204 by what was done), or the refusal's problem.</summary>
    public static async Task<IResult> AnswerAsync<T>(this Task<Outcome<T>> outcome, Func<T, Task<IResult>> respond)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(respond);
        var done = await outcome;
        return done.Refusal is { } refusal ? refusal.ToProblem() : await respond(done.Value!);
    }

    /// <summary>201 with the new item's address and its response, or the refusal's problem.</summary>
    public static async Task<IResult> CreatedAsync<T, TResponse>(this Task<Outcome<T>> outcome, Func<T, string> location, Func<T, Task<TResponse>> respond)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(respond);
        var done = await outcome;
        return done.Refusal is { } refusal ? refusal.ToProblem() : Results.Created(location(done.Value!), await respond(done.Value!));
    }

    /// <summary>204, or the refusal's problem.</summary>
    public static async Task<IResult> NoContentAsync<T>(this Task<Outcome<T>> outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var done = await outcome;
        return done.Refusal is { } refusal ? refusal.ToProblem() : Results.NoContent();
    }
}
