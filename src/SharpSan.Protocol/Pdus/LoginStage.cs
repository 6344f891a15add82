namespace SharpSan.Protocol;

/// <summary>Login stages, the CSG and NSG fields of Login Request/Response (RFC 7143 §11.12.3). 2 is reserved.</summary>
public enum LoginStage : byte
{
    SecurityNegotiation = 0x0,
    LoginOperationalNegotiation = 0x1,
    FullFeaturePhase = 0x3,
}
