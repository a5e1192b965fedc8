using System.Net;
using System.Net.Sockets;

namespace IncidentService.Tests.Cluster;

internal static class LoopbackPort
{
    /// <summary>A port free on 127.0.0.1 now, for a process that needs its port named up front.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
