import GatewayJSON

/// Fixed public JWKs made once with `openssl genpkey`/`openssl ecparam` (public halves only), so
/// tests need neither key generation at run time nor resource files.
enum TestKeys {
    /// RFC 7517 appendix A.1: its client id is `r8wFdTGflhPpc8dV8h456zgBQyRa86QKFnsahBjVrIs`.
    static let rfc7517: JSONObject = parse(
        #"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#
    )
    static let rsa2048: [JSONObject] = [
        parse(
            #"{"kty":"RSA","n":"60Ht7-0K2kR8vBzEXzmneCfvO0soPid23O3NczTai5XGMKi-gWvUDcviRxHq9t-q_p-oCqIttZBLrynzXJpl3Permm2-s2Z52dni4FCdVR9corRhKmqBuBdkGaPJYd8gDtyhuLCaYbGn9MivEZ2UwIiedfpT2Mu4OY0w5De3hFTgpa3pBxkGyZQBzM232JgyExqDT6Yt9s7Ix2A2jNcyUifHpjTk7giIBxjOWxsDZO4eCWbqtkb3EBfxMlFud0OM_rpMjKltviuPlPAqGgzQSXYvCpgBJcaB8h24DV_UGc89XgRiiPMPnvAbpoM5cJptxo9UjOLmXdOF_1khZJqGkw","e":"AQAB"}"#
        ),
        parse(
            #"{"kty":"RSA","n":"vHrL1AAiwfvjF7JoNN68xgmJrNYI205wFNSyrfz8gcGtAJvp4pAwSPZaNhrBqpJOKpf2vFx6hhvwij6APKQzfmTrq_KEujg1f54zhj1gRK4Ww99I1IYdjXstzp3Sz0nGgJmniJjU7yOi0H1lVCKMoexsJTT1E4kvp2FZAxlbXzvMbjp8dKZ9aW6ySZ1XRIO7TIaJrg3-VkrVDreNHmJNKXnGrCE2JO2YaQC-XG6H5N6S02e9JiXEdDu-X5HVsGs-EI2X0aTUKypZBH9SOC3cxdp1tP9wUgMvZOcp3sbEl3GQufgbZSvRoOvqM1Ki4OxGsdfXwvG4_IjQl5L_0Lbeuw","e":"AQAB"}"#
        ),
        parse(
            #"{"kty":"RSA","n":"vPlYRw5TbGZdmVZIMRSlc4euhRh38AUf20NaGwBMSbGm4eQfYppMmQ1xcHF0BaAjXM9AESwJ0BK-OHTRU0ql1fGrHJckHNQm4NJBcX5a5MmWvPsHy7bLmMb2qxNpz54fv4hjjPyNkROXmBUfMKDVaOGfL0rjyQLAYcsgd5nj2s-JFRBbnz1tUL7sCtpjWL51vEED4QHlH1MlTR4mxvtfjOql-mEzqykzNtJfppFKC03_ZbR_KwqFjkxKw-5KZC9_rneml7AtTgiIdxq97FMwbwv8IIn8MEh0WkrTvIrbSI4cPPSEHgxq_VWLGYQgaShf2rQKIF8vtxV4eABWp1Tz-w","e":"AQAB"}"#
        ),
        parse(
            #"{"kty":"RSA","n":"m7qm_hAZpjAL-aPj3D0flwImcKQiGO9iTeiI-KTqc2ePEprik7FOGXZjDzpmyhEwlAuY8C5VmT6SXkNk6dUNIKC1G6nkN1guSL0v1qGGt6lqGwscfwK-QZygxdkzpU5o484ruvecQs6Mk12g6qFl9-jE4TaW-WZDuzR8-ESAJyMfgNFx1UTly9b9WI5lR5Zq4mAmjvZwZVYASnMhbpnyeCRimD-slt-8ChJtrGXEhWF3wFqEEO5pTb61MetpapmVHkuDWDAr4FltT65iNebD2udhjrj4T5mgcQ0__AgXtcBSFGfQy0L80LiQKvIbdKKTEC6WSw9b1iTbx5KeoOauBw","e":"AQAB"}"#
        ),
    ]
    static let rsa1024: JSONObject = parse(
        #"{"kty":"RSA","n":"qmv8guoDcbTJ3jCmCUktNrPSJdExTVq9S2aN0lZLK6d-7RScS4rT5AVAfV19m3-yC8CVX1d6OVG0fPnFpZDSxDRmF35HlJ0XkctncXKlq6zUnQEBYnDoMoOj2hkX1TEiwd1QaG72RYaRj-PrtEbP8IjJp517uarl3jaFxrvNte0","e":"AQAB"}"#
    )
    static let p384: JSONObject = parse(
        #"{"kty":"EC","crv":"P-384","x":"0QMYuh8yfLRn0zDynh1VvYz9uO-J2g4j_4-27anQnhGffg_tiR_yKJdfX1b-D1Wf","y":"I8XQE-YOqZmGC1kimZitUYjxdwsFwDX1jbk2J1_NJM83vXJoElfIoCDjEzwYKf_c"}"#
    )
    static let p256: [JSONObject] = [
        parse(
            #"{"kty":"EC","crv":"P-256","x":"h75f5bKcwgBF-ve0UfdNH2heY5a8wzmC2KYiIAIkG80","y":"vjn_5eoOKVZ0HlQHwYlPvjO8AamT3v5MN95n1kg7uAY"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"sumcMm0fVKumiKbpvYlULebZRzoXfR1NVHug12yz6Vg","y":"n76FR0ibyhRFuEr8le0CgzG3urFA8cMxqOWSJSH6qGM"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"lkpPRA5uRowyVAd1r7MftqM7yI-NE0C4vfSjZ9XyVdM","y":"oJusnAReq8E-Z1Ouy2HNUfBXt6_Zd3jfkWjW7JJ74vI"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"iKkSOpsI1bB2KG24PcG7V6Q-BDEZmA69QRSAQ17KPlM","y":"rmW__e1Do07-rRcgZGpNRyLhMqCvvKHkLqmwhpucqnQ"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"EFE7VKvXzFKvVaoXqbkTfyrHlD-1KNnKPXkQ_nxmMVA","y":"n0clUg5ssLHWnDFmjeHDv1WWisafsUe1GRN2pHpU_Vw"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"gbbs6qihmYjOypXNchtEmO9DOzJ_qL-KHx335Q9Is2U","y":"5wP6FNUDTi1owHHkui7AKqdX4PpwnEpszZAlBUVVDog"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"jLxkBRQlu_obj0QiV1bOfBHwBh5spxuxIcbmrMriMj0","y":"ox8MXSMhoaZhjNW6IMHwQgforcFnp58LnP47GLDXSGQ"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"LQi4mVt_bgGTd0hqFqAlA1hK14Nd-UeETno_q4njkMQ","y":"VcFmTYcJpD3IRRMy4EfYJNtklDL_8jEzbNMX_xyN4vs"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"FyLdkgqgJSRXp9tBYAJlJXKKJTmclXqNlZHwMiidnJQ","y":"gkpiEKv320JDjz7Q4MFJyXM_VsRFKv99cvFVptpqOGA"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"nsk3qKV9rlB31RdYLxJwQr_jfBS4kbC-NdwGnil34ek","y":"HIamMw7AL_MFADSiAXa4WIb-TUlH5BvtWTvEuDRmBZw"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"xWx8YLgBTSaU2K8Dztjl4xygLpPntQ3mn639el5KTG0","y":"NL-F89Cg3PYe8Lwylk8Wi3Z9Vu_qG__PotMq8EXjaYw"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"hyCp3vPpfwkUuy51PcWyxpZzR3khO5oCe07x7pKduyY","y":"fh22ogGV1qfKzal4Vahw2PKcikZVJxnoc_IYYitdr2s"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"K5O1J-XtY0zevZ-77mul0WA2KuM7tNF4CgKj8pY04O0","y":"_euy2h_OEPMaBIYROk0CFrQGjdVf84aFoK7ca8KyA0U"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"2GlVNbMcA_cT8xdB9A3IjBEV54HE0lLAowDiFLx57NA","y":"xfmupe4w4tZ4FcJjhVkCQaaeSvcw6PdSWO9xWZzU68E"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"f63keCKy1n_jkOw3WW0-AhJzAlGNDstT0XHNsDytWGg","y":"JGm_bRf4vuknD_BXxW1PoJjHhTsthiR4VUZMEZM4A4g"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"vEXrqlNzM5M5tzgm-XSTcxKuTjEqC_bAAvbPN7h3vh8","y":"man87FyhrU8zdAyArCrqNurK6gy8bHd6H9MppO95MZ0"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"DmfOU7A3F1NdXL0IchUuFGtJ014RMQfxzhdUKRWtA6M","y":"tUKuNFZz9J1GltBv3m3cZY5Fp0p6eWSsjgH3VduBpDU"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"DdKVpGoS42vDBeqnDUTeLLBHt-x30WtSJ394doVlGNY","y":"Yk7E4Hb7PBuUYalUc5zjMT97zqg3HA1Fsk2_NtiJRB4"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"dEOj9SoD3qrvmvMg20aeBfo5hHbRLYoyWsPfJu4r2rI","y":"noRL8QfgQi_spDTS0IU96XhRE_VT2ZbXs727PGpmERM"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"dZUayWCO2wVLo9WlmKpTrm6xMWnSo_V_-Jd56eSjeUk","y":"s3dCYhiOySRcAnJ2n4nkJbWDzZVinvKv5K-f1-iJAlg"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"Bn5p36KqGU60Lro3GEluJRyZFp5Ko_vrmURAJ1PQm4Q","y":"SEJoGVdrn1aDzDiDyoH74wNBVxIIiqWpPSg1oj029zY"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"MsDs6uzBCPWVkwzZSRx4ZJo4IBqrMR7LKz7XtQIUjJY","y":"Im4FvWFhuSygwlwr0IeOWO4X2Wz5SS3zG_rmDAlYvnc"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"mgqONu70C8D_6edyfSHKA9wsnYgAhgFNoWCI2Ekulng","y":"meKot0oj4bPKDtQCyYzYueTSKqI3BWgP0wPnijPRR0U"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"z9hE5AJmn3Yq3xtAwtf8yPBIm53BxhBW7Rye-ij_Ueo","y":"hpvTWqNL3y0tJp9vBfZIqbcSyCPZFKVSsuK4boecE6g"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"gX7GeufjS2s3qiz6sOqfN9IAfbcfyZlbU-xNeEG02lE","y":"ZVrAlwvNyDU5Jel8KrPDxd8WMnyuJpyHG-m7lA2fI2s"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"AZtA7VZwVlNXqvnhXcco9c_s2OkDbhjG2TxrbyWHm7s","y":"D3rMh6ktdxnUh9AdeLk0GdmfDCWgUUrFWyUWD68cqXs"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"UTofyRBc7P_iZkTo4sJ3aVk44MGc5d8fLoTUlZkHKRg","y":"LMbN5zFp9kXyiLY41tOmp471IzoYFPndIoojQHZVdhE"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"m3fNxwyXHRhqQSItyQJtbU8o97PnFL1ENmrrgXJ0zws","y":"a4V1jTt1qeyCB-gsvolxetpaIymA80D9WuDeRLHXn24"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"BHHwFl_I11jUIxmHHm9ufHT3C6FC6yW0M2ObBNgdSUo","y":"ejUHEx_M-_KZgaQH0ySrkTaHVmMo0E8LAtVEaIeWltg"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"tb8x1mI3j8ovQ493Eqyak4Us2rw4YcXXBZ5YOwkAm1k","y":"IzqDimMAWaAdTx_73UlPBHnkk9lUtdCqQP6OPLBCIQY"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"bIheGr56ROB1klIMVtnk8PFhIhBRrtV44iGGzJ5x-AE","y":"c4_Fni8oTXIZJSuuuxDcX-JNtVMWm0ew9G-g4plPpCI"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"EV4e6OwgogmtGSu29bMSmugNfUt9GWqSf5kLsCrkx_A","y":"rk4B75UpbosHAQKENqtcMITv_F0RyOl6QvlIkMQU_iQ"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"ehU0PhkfbmfJjWzClW-AYru2MPgjPTHDaMJhpp0zzzY","y":"YPdBuWKabpBOj5LLZM40mBzlcCLfP5ZRWl5-hJDrc2E"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"i09w6N8ui6SZcLKe3jxPVjppnjUTGbRCBIDdmDrK8yw","y":"3_VJ9jzVm0WD8Z5h1_vF4Yt30jT6oB_HId1oLbTli2s"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"t7Wet--XYgnDgvTUoJU-MdpbNknOv9nAlU1AaCpyYfI","y":"-aeGUpYfCCpkxQMS9Fi6oGDQYtSwvAibqlGiWP70n-c"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"FkBGJle0RQ2ea4xs7aggo9QMuKaCfUxGCIfwdjlBsQM","y":"2mqEOBg5eZraAu2kg6YqJ9pEqr6Pmp0cNpnuh0xDWvo"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"Lcfn65fXIDV4JsClrZEi0IrqqydUQbmWrK1Cbad4ChY","y":"a0xixB_fzz_176E9Ab-gw27tiYkfNTAkc85lV5F_H1M"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"4E-TZAJ028Ys-mnxIFfn-ktNwSOzeRjiM6RLsYF7Ny8","y":"HEpGJDak1TcQiAn-Kxfu-5A5X7kRnUtsoxtolcVjIFk"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"2HE4ayDX5CzGTXJGNx2ihT0H5cjKgr7oxrk9szHpTFo","y":"M18NNxSJ-8gz8cYxFrxVXA37I1OSjj2jvR4XbogDjDc"}"#
        ),
        parse(
            #"{"kty":"EC","crv":"P-256","x":"7vWNIasF-pH2CV37T6M04aZdnvIMWNeJedaaHKJAHHo","y":"ItBebLC7ZOzfSPbb4vS97XYkah1vdclih7UsbrWxpMI"}"#
        ),
    ]

    static func parse(_ text: String) -> JSONObject {
        guard case .object(let object)? = try? JSONValue.parse(Array(text.utf8)) else {
            fatalError("bad fixture JSON")
        }
        return object
    }
}
