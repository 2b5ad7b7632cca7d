-- cni/samples.lua: the CNI configurations of tests/corpus/cni-samples
-- (copied from ../shared/reference/cni-samples; provenance in that folder's
-- SOURCES.md), byte for byte, for scenarios, which cannot read files.
-- Written by tests/cni/gen_samples_lua.py; do not edit by hand;
-- tests/cni/test_cni_samples_embedded.sh checks it against the corpus.
--
-- samples[name] -> the file's text; samples.names -> the names, sorted.

local raw = {}

raw['cniplugins_win-bridge_sample-v2.conf'] = {crlf = false, text = [=[
{
    "name":"cbr0",
    "type":"flannel",
    "delegate":{
        "apiVersion":2,
        "type":"win-bridge",
        "dns":{
            "nameservers":[
                "11.0.0.10"
            ],
            "search":[
                "svc.cluster.local"
            ]
        },
        "policies":[
            {
                "name":"EndpointPolicy",
                "value":{
                    "Type":"OutBoundNAT",
                    "Settings":{
                        "Exceptions":[
                            "192.168.0.0/16",
                            "11.0.0.0/8",
                            "10.137.196.0/23"
                        ]
                    }
                }
            },
            {
                "name":"EndpointPolicy",
                "value":{
                    "Type":"SDNRoute",
                    "Settings":{
                        "DestinationPrefix":"11.0.0.0/8",
                        "NeedEncap":true
                    }
                }
            },
            {
                "name":"EndpointPolicy",
                "value":{
                    "Type":"SDNRoute",
                    "Settings":{
                        "DestinationPrefix":"10.137.198.27/32",
                        "NeedEncap":true
                    }
                }
            }
        ],
        "loopbackDSR":true
    }
}]=]}

raw['sdn_flannel_l2bridge_cni.conf'] = {crlf = true, text = [=[
{
    "cniVersion":  "0.2.0",
    "name":  "cbr0",
    "type":  "flannel",
    "delegate":  {
                     "type":  "win-bridge",
                     "dns":  {
                                 "Nameservers":  [
                                                     "10.96.0.10"
                                                 ],
                                 "Search":  [
                                                "svc.cluster.local"
                                            ]
                             },
                     "policies":  [
                                      {
                                          "Name":  "EndpointPolicy",
                                          "Value":  {
                                                        "Type":  "OutBoundNAT",
                                                        "ExceptionList":  [
                                                                              "10.244.0.0/16",
                                                                              "10.96.0.0/12",
                                                                              "10.127.130.0/24"
                                                                          ]
                                                    }
                                      },
                                      {
                                          "Name":  "EndpointPolicy",
                                          "Value":  {
                                                        "Type":  "ROUTE",
                                                        "DestinationPrefix":  "10.96.0.0/12",
                                                        "NeedEncap":  true
                                                    }
                                      },
                                      {
                                          "Name":  "EndpointPolicy",
                                          "Value":  {
                                                        "Type":  "ROUTE",
                                                        "DestinationPrefix":  "10.127.130.38/32",
                                                        "NeedEncap":  true
                                                    }
                                      }
                                  ]
                 }
}
]=]}

raw['sdn_flannel_overlay_cni.conf'] = {crlf = true, text = [=[
{
    "cniVersion":  "0.2.0",
    "name":  "vxlan0",
    "type":  "flannel",
    "delegate":  {
                     "type":  "win-overlay",
                     "dns":  {
                                 "Nameservers":  [
                                                     "11.0.0.10"
                                                 ],
                                 "Search":  [
                                                "svc.cluster.local"
                                            ]
                             },
                     "Policies":  [
                                      {
                                          "Name":  "EndpointPolicy",
                                          "Value":  {
                                                        "Type":  "OutBoundNAT",
                                                        "ExceptionList":  [
                                                                              "192.168.0.0/16",
                                                                              "11.0.0.0/8"
                                                                          ]
                                                    }
                                      },
                                      {
                                          "Name":  "EndpointPolicy",
                                          "Value":  {
                                                        "Type":  "ROUTE",
                                                        "DestinationPrefix":  "11.0.0.0/8",
                                                        "NeedEncap":  true
                                                    }
                                      }
                                  ]
                 }
}
]=]}

raw['sdn_wincni_l2bridge.conf'] = {crlf = false, text = [=[
{
    "cniVersion":  "0.2.0",
    "name":  "l2bridge",
    "type":  "wincni.exe",
    "master":  "Ethernet",
    "capabilities":  {
                         "portMappings":  true
                     },
    "ipam":  {
                 "environment":  "azure",
                 "subnet":  "192.168.1.0/24",
                 "routes":  [
                                {
                                    "GW":  "192.168.1.2"
                                }
                            ]
             },
    "dns":  {
                "Nameservers":  [
                                    "11.0.0.10"
                                ],
		"Search": [
			   "svc.cluster.local"
			  ]
            },
    "AdditionalArgs":  [
                           {
                               "Name":  "EndpointPolicy",
                               "Value":  {
                                             "Type":  "OutBoundNAT",
                                             "ExceptionList":  [
                                                                   "192.168.0.0/16",
                                                                   "11.0.0.0/8",
                                                                   "10.124.24.0/23"
                                                               ]
                                         }
                           },
                           {
                               "Name":  "EndpointPolicy",
                               "Value":  {
                                             "Type":  "ROUTE",
                                             "DestinationPrefix":  "11.0.0.0/8",
                                             "NeedEncap":  true
                                         }
                           },
                           {
                               "Name":  "EndpointPolicy",
                               "Value":  {
                                             "Type":  "ROUTE",
                                             "DestinationPrefix":  "10.124.24.196/32",
                                             "NeedEncap":  true
                                         }
                           }
                       ]
}
]=]}

raw['wcn_sdnbridge_dualstack_host-local.conf'] = {crlf = false, text = [=[
{
    "cniVersion": "0.2.0",
    "name": "winl2bridge",
    "type": "sdnbridge",
    "master": "Ethernet",
    "capabilities": {
        "portMappings": true,
        "dnsCapabilities": true
    },
    "optionalFlags": {
        "localRoutedPortMapping": true,
        "allowAclPortMapping": true,
        "enableDualStack": true
    },
    "ipam": {
        "type": "host-local",
        "ranges": [
            [
                {
                    "subnet": "192.168.1.0/24",
                    "rangeStart": "192.168.1.10",
                    "rangeEnd": "192.168.1.50",
                    "gateway": "192.168.1.2"
                }
            ],
            [
                {
                    "subnet": "fd00::100/120",
                    "rangeStart": "fd00::102",
                    "rangeEnd": "fd00::1fe",
                    "gateway": "fd00::101"
                }
            ]
        ]
    },
    "dns": {
        "Nameservers": [
            "10.127.130.7"
        ],
        "Search": [
            "svc.cluster.local"
        ]
    },
    "AdditionalArgs": [
        {
            "Name": "EndpointPolicy",
            "Value": {
                "Type": "OutBoundNAT",
                "Settings": {
                    "Exceptions": [
                        "192.168.0.0/16",
                        "11.0.0.0/8",
                        "10.124.24.0/23"
                    ]
                }
            }
        },
        {
            "Name": "EndpointPolicy",
            "Value": {
                "Type": "OutBoundNAT",
                "Settings": {
                    "VirtualIP": "fc00::123",
                    "Destinations": [
                        "fd01::192",
                        "fd01::193"
                    ],
                    "Exceptions": [
                        "fd03::100/120",
                        "fd04::100/120"
                    ]
                }
            }
        },
        {
            "Name": "EndpointPolicy",
            "Value": {
                "Type": "SDNRoute",
                "Settings": {
                    "DestinationPrefix": "11.0.0.0/8",
                    "NeedEncap": true
                }
            }
        },
        {
            "Name": "EndpointPolicy",
            "Value": {
                "Type": "SDNRoute",
                "Settings": {
                    "DestinationPrefix": "fd00::200/120",
                    "NeedEncap": true
                }
            }
        }
    ]
}]=]}

local M = {names = {}}
for name, s in sorted_pairs(raw) do
  M.names[#M.names + 1] = name
  M[name] = s.crlf and s.text:gsub("\n", "\r\n") or s.text
end

return M
