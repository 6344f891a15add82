
namespace SharpSan.Target;

/// <summary>The result of processing one complete login request.</summary>
internal readonly record struct LoginStep(LoginStatus Status, bool Transit, int NextStage, string? FailureLog)
{
    public static LoginStep Fail(LoginStatus status, string log) => new(status, false, 0, log);
}
