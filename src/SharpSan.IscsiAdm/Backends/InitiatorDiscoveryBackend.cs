using System.Net;
using System.Net.Sockets;
using SharpSan.Initiator;
using SharpSan.NodeRecords;
using SharpSan.Protocol;

namespace SharpSan.IscsiAdm.Backends;

/// <summary>
/// SendTargets discovery with SharpSan.Initiator: a discovery session (CHAP when the discovery record
/// has credentials), SendTargets=All, logout. The initiator name comes from initiatorname.iscsi
/// (created when missing, as iscsid does). Failures become open-iscsi's error codes.
/// </summary>
public sealed class InitiatorDiscoveryBackend : IDiscoveryBackend
{
    private readonly string _initiatorNamePath;

    public InitiatorDiscoveryBackend(string initiatorNamePath) => _initiatorNamePath = initiatorNamePath;

    public async Task<IReadOnlyList<DiscoveredTarget>> SendTargetsAsync(string host, int port, DiscoveryAuth? auth, CancellationToken cancellationToken)
    {
        var options = new InitiatorOptions { InitiatorName = InitiatorName.ReadOrCreate(_initiatorNamePath) };
        if (auth is { Username.Length: > 0 })
        {
            options.Chap = new ChapCredentials(auth.Username, auth.Password, auth.UsernameIn, auth.PasswordIn);
            if (auth.ChapAlgorithms.Count > 0)
                options.ChapAlgorithms = string.Join(",", auth.ChapAlgorithms.Select(ChapAlgorithmNames.ToChapA));
        }
        IPEndPoint portal;
        try
        {
            var address = IPAddress.TryParse(host.Trim('[', ']'), out var ip) ? ip : (await Dns.GetHostAddressesAsync(host, cancellationToken))[0];
            portal = new IPEndPoint(address, port);
        }
        catch (SocketException ex)
        {
            throw new IscsiAdmException(IscsiError.Transport, $"cannot resolve {host}: {ex.Message}");
        }
        try
        {
            return await IscsiDiscovery.SendTargetsAsync(portal, options, cancellationToken);
        }
        catch (IscsiLoginException ex) when (ex.Status is LoginStatus.AuthenticationFailure or LoginStatus.AuthorizationFailure)
        {
            throw new IscsiAdmException(IscsiError.LoginAuthFailed, ex.Message);
        }
        catch (IscsiLoginException ex)
        {
            throw new IscsiAdmException(IscsiError.Login, ex.Message);
        }
        catch (TimeoutException ex)
        {
            throw new IscsiAdmException(IscsiError.TransportTimeout, ex.Message);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            throw new IscsiAdmException(IscsiError.Transport, ex.Message);
        }
    }
}
