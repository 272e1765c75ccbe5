import { describe, expect, it } from "vitest";
import { addressRefusal, compileOperatorAllowList, refusedClassOf } from "./address-policy";
import { compileAllowedHosts, isListed } from "./allowed-hosts";

describe("address policy", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["::1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["10.1.2.3", "private"],
    ["172.20.0.1", "private"],
    ["192.168.1.1", "private"],
    ["fd12::1", "private"],
    ["169.254.10.10", "link-local"],
    ["fe80::1", "link-local"],
    ["169.254.169.254", "cloud-metadata"],
    ["fd00:ec2::254", "cloud-metadata"],
    ["::ffff:169.254.169.254", "cloud-metadata"],
    ["0.0.0.0", "reserved"],
    ["93.184.216.34", null],
    ["2606:4700::1111", null],
    // 6to4 (2002::/16): the IPv4 address in groups 2-3.
    ["2002:7f00:1::", "loopback"],
    ["2002:a9fe:a9fe::1", "cloud-metadata"],
    ["2002:c0a8:101:1::1", "private"],
    ["2002:0a00:0001::", "private"],
    ["2002:5db8:d822::1", null],
    // Teredo (2001::/32): its server (groups 3-4), or its client (groups 7-8, bits inverted).
    ["2001:0:4136:e378:8000:63bf:f5ff:fffe", "private"], // client 10.0.0.1
    ["2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"], // client 127.0.0.1
    ["2001:0:4136:e378:8000:63bf:5601:5601", "cloud-metadata"], // client 169.254.169.254
    ["2001:0:a00:1::1", "private"], // server 10.0.0.1
    ["2001:0:4136:e378:8000:63bf:f7f7:f7f7", null], // server 65.54.227.120, client 8.8.8.8: both public
    ["2001:db8::1", "reserved"], // documentation, not Teredo
  ])("%s → %s", (address, expected) => {
    expect(refusedClassOf(address)).toBe(expected);
  });

  it("lets the operator allow hosts, addresses and ranges, and nothing else", () => {
    const allow = compileOperatorAllowList(["127.0.0.1", "10.0.0.0/8", "internal.example"]);
    expect(addressRefusal("127.0.0.1", "127.0.0.1", allow)).toBeNull();
    expect(addressRefusal("127.0.0.2", "127.0.0.2", allow)).toBe("loopback");
    expect(addressRefusal("db", "10.9.8.7", allow)).toBeNull();
    expect(addressRefusal("internal.example", "192.168.0.5", allow)).toBeNull();
    expect(addressRefusal("other.example", "192.168.0.5", allow)).toBe("private");
    expect(addressRefusal("meta", "169.254.169.254", allow)).toBe("cloud-metadata");
    // Through a tunnel: judged by the IPv4 address it leads to, the operator's ranges included.
    expect(addressRefusal("six", "2002:a09:807::1", allow)).toBeNull(); // 10.9.8.7
    expect(addressRefusal("six", "2002:c0a8:5::1", allow)).toBe("private"); // 192.168.0.5
    expect(addressRefusal("teredo", "2001:0:4136:e378:8000:63bf:5601:5601", allow)).toBe("cloud-metadata");
  });
});

describe("allowed_hosts matching", () => {
  it("matches scheme, host and port (the scheme's default when none is written)", () => {
    const allowed = compileAllowedHosts(["https://api.example.com", "http://10.0.0.5:8080"]);
    expect(isListed(new URL("https://api.example.com/v1/x?y"), allowed)).toBe(true);
    expect(isListed(new URL("https://API.example.com:443/"), allowed)).toBe(true);
    expect(isListed(new URL("http://api.example.com/"), allowed)).toBe(false);
    expect(isListed(new URL("https://api.example.com:8443/"), allowed)).toBe(false);
    expect(isListed(new URL("https://evil.api.example.com/"), allowed)).toBe(false);
    expect(isListed(new URL("http://10.0.0.5:8080/"), allowed)).toBe(true);
    expect(isListed(new URL("http://10.0.0.5/"), allowed)).toBe(false);
    expect(isListed(new URL("https://anything.example/"), compileAllowedHosts(["*"]))).toBe(true);
    expect(isListed(new URL("https://anything.example/"), compileAllowedHosts(undefined))).toBe(false);
  });
});
