(* advdir-vcheck CERT [--json]: the reading shell around the checker extracted
   from Coq (VExtract.v). Unverified and trusted (README, "The proved checker"):
   it reads the certificate's JSON and its data files, with the limits and
   hashing of lib/check, and hands them over; every check is in vcheck_core.ml.
   Exit 0 valid, 1 invalid, 2 unreadable, 3 a kind the proved checker does not cover. *)
open Vcheck_core

exception Unreadable of string

let unreadable fmt = Printf.ksprintf (fun s -> raise (Unreadable s)) fmt
let max_certificate_bytes = 1 lsl 31
let max_data_bytes = 1 lsl 28
let max_depth = 64

(* A file's bytes, read once; a directory, or more than [limit] bytes, is refused. *)
let read_file path limit =
  if Sys.file_exists path && Sys.is_directory path then unreadable "%s: is a directory, not a file" path;
  let ic = try open_in_bin path with Sys_error _ -> unreadable "%s: cannot open" path in
  let buf = Buffer.create 65536 and chunk = Bytes.create 65536 in
  let rec loop () =
    let k = input ic chunk 0 65536 in
    if k > 0 then begin
      Buffer.add_subbytes buf chunk 0 k;
      if Buffer.length buf > limit then (close_in_noerr ic; unreadable "%s: larger than %d bytes" path limit);
      loop ()
    end
  in
  loop ();
  close_in_noerr ic;
  Buffer.contents buf

(* gzip members, one after another, inflated up to max_data_bytes. *)
let gunzip path s =
  let n = String.length s and out = Buffer.create (min (4 * String.length s) (1 lsl 24)) and chunk = Bytes.create 65536 in
  let corrupt () = unreadable "%s: corrupt or truncated gzip data" path in
  let byte p = if p < n then Char.code s.[p] else corrupt () in
  let rec member pos =
    if byte pos <> 0x1f || byte (pos + 1) <> 0x8b || byte (pos + 2) <> 8 then corrupt ();
    let flags = byte (pos + 3) and p = ref (pos + 10) in
    if flags land 4 <> 0 then p := !p + 2 + byte !p + 256 * byte (!p + 1);
    let skip_string () = match String.index_from_opt s !p '\000' with Some z -> p := z + 1 | None -> corrupt () in
    if flags land 8 <> 0 then skip_string ();
    if flags land 16 <> 0 then skip_string ();
    if flags land 2 <> 0 then p := !p + 2;
    let z = Zlib.inflate_init false in
    let rec go p =
      if p > n then corrupt ();
      let fin, used_in, used_out =
        try Zlib.inflate_string z s p (n - p) chunk 0 65536 Zlib.Z_SYNC_FLUSH with Zlib.Error _ -> corrupt () in
      Buffer.add_subbytes out chunk 0 used_out;
      if Buffer.length out > max_data_bytes then unreadable "%s: expands past %d bytes" path max_data_bytes;
      if fin then p + used_in else if used_in = 0 && used_out = 0 then corrupt () else go (p + used_in)
    in
    let e = go !p in
    Zlib.inflate_end z;
    if e + 8 > n then corrupt () else if e + 8 < n then member (e + 8)
  in
  member 0;
  Buffer.contents out

(* A message as one printable line: a parser's excerpt of the input may hold newlines or
   any byte. *)
let one_line s =
  let s = String.map (fun c -> if c < ' ' || c > '~' then ' ' else c) s in
  if String.length s > 200 then String.sub s 0 200 ^ "..." else s

(* Well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates), as lib/check's JSON
   parser demands of strings; outside strings any other byte is a syntax error anyway. *)
let utf8 s =
  let n = String.length s and b k = Char.code s.[k] in
  let cont k = k < n && b k land 0xc0 = 0x80 in
  let rec go k =
    if k >= n then true
    else
      let c = b k in
      if c < 0x80 then go (k + 1)
      else if c >= 0xc2 && c <= 0xdf then cont (k + 1) && go (k + 2)
      else if c >= 0xe0 && c <= 0xef then
        cont (k + 1) && cont (k + 2)
        && (c <> 0xe0 || b (k + 1) >= 0xa0) && (c <> 0xed || b (k + 1) < 0xa0) && go (k + 3)
      else if c >= 0xf0 && c <= 0xf4 then
        cont (k + 1) && cont (k + 2) && cont (k + 3)
        && (c <> 0xf0 || b (k + 1) >= 0x90) && (c <> 0xf4 || b (k + 1) < 0x90) && go (k + 4)
      else false in
  go 0

(* Plain JSON (RFC 8259): Yojson would also take comments, NaN and Infinity outside
   strings, and control characters inside them, which lib/check's parser refuses. *)
let plain_json s =
  let n = String.length s in
  let rec outside k = k >= n || (match s.[k] with
    | '"' -> inside (k + 1)
    | '{' | '}' | '[' | ']' | ':' | ',' | ' ' | '\t' | '\n' | '\r' | '0' .. '9' | '-' | '+' | '.' | 'e' | 'E'
    | 't' | 'r' | 'u' | 'f' | 'a' | 'l' | 's' | 'n' -> outside (k + 1)
    | _ -> false)
  and inside k = k < n && (match s.[k] with
    | '\\' -> inside (k + 2) | '"' -> outside (k + 1) | c when c < ' ' -> false | _ -> inside (k + 1)) in
  outside 0

let digits s = s <> "" && String.for_all (fun c -> c >= '0' && c <= '9') s

(* "N", "-N", "N/D", "-N/D" with decimal digits: lib/check's certificate numbers. *)
let rational s =
  let neg = String.length s > 1 && s.[0] = '-' in
  let body = if neg then String.sub s 1 (String.length s - 1) else s in
  let num, den = match String.index_opt body '/' with
    | Some k -> String.sub body 0 k, String.sub body (k + 1) (String.length body - k - 1)
    | None -> body, "1" in
  if digits num && digits den then
    let d = Big.of_string den and v = Big.of_string num in
    if Big.sign d > 0 then Some ((if neg then Big.neg v else v), d) else None
  else None

(* A number of a text dataset: integer, decimal, fraction or scientific notation. *)
let text_number raw =
  let bad () = unreadable "bad number '%s'" raw in
  let s = String.trim raw in
  let neg = s <> "" && s.[0] = '-' in
  let s = if s <> "" && (s.[0] = '-' || s.[0] = '+') then String.sub s 1 (String.length s - 1) else s in
  let q = match String.index_opt s '/' with
    | Some k ->
        let a = String.sub s 0 k and b = String.sub s (k + 1) (String.length s - k - 1) in
        if not (digits a && digits b) || Big.sign (Big.of_string b) = 0 then bad ();
        Q.make (Big.of_string a) (Big.of_string b)
    | None ->
        let mant, exp = match String.index_from_opt (String.map Char.lowercase_ascii s) 0 'e' with
          | Some k ->
              let e = String.sub s (k + 1) (String.length s - k - 1) in
              let eneg = e <> "" && e.[0] = '-' in
              let e = if e <> "" && (e.[0] = '-' || e.[0] = '+') then String.sub e 1 (String.length e - 1) else e in
              if not (digits e) || String.length e > 7 || int_of_string e > 1000000 then bad ();
              String.sub s 0 k, (if eneg then - int_of_string e else int_of_string e)
          | None -> s, 0 in
        let whole, frac = match String.index_opt mant '.' with
          | Some k -> String.sub mant 0 k, String.sub mant (k + 1) (String.length mant - k - 1)
          | None -> mant, "" in
        if (whole <> "" && not (digits whole)) || (frac <> "" && not (digits frac)) || whole ^ frac = "" then bad ();
        let e = exp - String.length frac and m = Big.of_string (whole ^ frac) in
        if e < 0 then Q.make m (Big.pow (Big.of_int 10) (- e)) else Q.of_bigint (Big.mul m (Big.pow (Big.of_int 10) e)) in
  if neg then Q.neg q else q

(* Rational rows over their common denominator: (den, integer rows). lib/check's budget:
   at most 2^31 bits of numbers as written, and as scaled to the common denominator,
   counted before anything that size is built. *)
let max_data_bits = 1 lsl 31
let over_one_denominator rows =
  let bits z = Big.numbits z in
  let written = List.fold_left (List.fold_left (fun t q -> t + bits (Q.num q) + bits (Q.den q))) 0 rows in
  if written > max_data_bits then unreadable "the data's numbers take more than 2^31 bits";
  let den = List.fold_left (fun l r -> List.fold_left (fun l q -> Big.lcm l (Q.den q)) l r) Big.one rows in
  let scaled = List.fold_left (List.fold_left (fun t q ->
      if Big.sign (Q.num q) = 0 then t else t + bits (Q.num q) + bits den - bits (Q.den q) + 1)) 0 rows in
  if scaled > max_data_bits then unreadable "over their common denominator, the data's numbers take more than 2^31 bits";
  den, List.map (List.map (fun q -> Big.mul (Q.num q) (Big.div den (Q.den q)))) rows

let label_of what q =
  if Big.equal (Q.den q) Big.one && Big.leq (Big.abs (Q.num q)) (Big.of_int 2147483647) then Q.num q
  else unreadable "%s: label '%s' is not an integer in [-2^31 + 1, 2^31 - 1]" what (Q.to_string q)

let text_data path bytes =
  let lines = String.split_on_char '\n' bytes in
  let rows = List.filter_map (fun line ->
      let line = match String.index_opt line '#' with Some k -> String.sub line 0 k | None -> line in
      if String.trim line = "" then None
      else
        (* as std::getline splits: a line ending in ',' has no empty last field *)
        let fields = match List.rev (String.split_on_char ',' line) with
          | "" :: rest when rest <> [] -> List.rev rest
          | _ -> String.split_on_char ',' line in
        match List.map text_number fields with
        | l :: x -> Some (label_of path l, x)
        | [] -> None) lines in
  List.map fst rows, List.map snd rows

let idx path bytes =
  let raw = if String.length bytes >= 2 && bytes.[0] = '\x1f' && bytes.[1] = '\x8b' then gunzip path bytes else bytes in
  let byte k = Char.code raw.[k] in
  let n = String.length raw in
  if n < 4 || byte 0 <> 0 || byte 1 <> 0 || byte 2 <> 8 || byte 3 = 0 then unreadable "%s: not a ubyte IDX file" path;
  let rank = byte 3 in
  let start = 4 + 4 * rank in
  if n < start then unreadable "%s: truncated IDX header" path;
  let dims = List.init rank (fun k -> let a = 4 + 4 * k in (byte a lsl 24) lor (byte (a + 1) lsl 16) lor (byte (a + 2) lsl 8) lor byte (a + 3)) in
  let total = List.fold_left (fun t d -> if d <> 0 && t > max_data_bytes / d then unreadable "%s: IDX dimensions too large" path else t * d) 1 dims in
  if n <> start + total then unreadable "%s: the IDX data is not the %d bytes its header says" path total;
  dims, String.sub raw start total

let member k = function `Assoc l -> List.assoc_opt k l | _ -> None
let string_member data k =
  match member k data with Some (`String s) -> s | _ -> unreadable "data reference lacks the string \"%s\"" k

let hashed_file data base key hash_key =
  let p = string_member data key and hash = string_member data hash_key in
  let p = if Filename.is_relative p then Filename.concat base p else p in
  let bytes = read_file p max_data_bytes in
  if Sha256.to_hex (Sha256.string bytes) <> hash then unreadable "%s: SHA-256 differs from the certificate's: not the data it was made from" p;
  p, bytes

let idx_data data base =
  let ipath, ifile = hashed_file data base "images" "images_sha256" in
  let lpath, lfile = hashed_file data base "labels" "labels_sha256" in
  let idims, img = idx ipath ifile and ldims, lab = idx lpath lfile in
  (match idims, ldims with
   | i :: _ :: _, [ l ] when i = l -> if i = 0 then unreadable "%s: no images" ipath
   | _ -> unreadable "IDX images and labels do not match");
  let scale = string_member data "scale" in
  if scale <> "255" && scale <> "1" then unreadable "IDX scale must be \"255\" or \"1\"";
  let n = String.length lab in
  let d = String.length img / n in
  let row i = List.init d (fun j -> Big.of_int (Char.code img.[i * d + j])) in
  Big.of_string scale, Array.init n (fun i -> Big.of_int (Char.code lab.[i])), d, row

let inline_data data =
  match member "labels" data, member "points" data with
  | Some (`List ls), Some (`List ps) ->
      let point = function
        | `List vs -> List.map (function `String s -> text_number s | _ -> unreadable "inline data: a coordinate is not a number string") vs
        | _ -> unreadable "inline data: a point is not an array" in
      let label = function
        | `Int i when abs i <= 2147483647 -> Big.of_int i
        | _ -> unreadable "inline data labels: expected an integer label in [-2^31 + 1, 2^31 - 1]" in
      let rows = List.map point ps and labels = List.map label ls in
      if List.length labels <> List.length rows then unreadable "inline data: labels and points differ in number";
      labels, rows
  | _ -> unreadable "inline data lacks the arrays labels and points"

(* "pair": [K, L] keeps classes K (as +1) and L (as -1); [K, "rest"] is K against the
   others. Only the rows kept are built. *)
let select_pair data labels row =
  let all = List.init (Array.length labels) Fun.id in
  let keep, relabel = match member "pair" data with
    | None -> all, Fun.id
    | Some (`List [ `Int k; second ]) ->
        let rest, l = match second with
          | `String "rest" -> true, k
          | `Int l when l <> k -> false, l
          | _ -> unreadable "data.pair: expected [K, L] or [K, \"rest\"]" in
        let k = Big.of_int k and l = Big.of_int l in
        List.filter (fun i -> rest || Big.equal labels.(i) k || Big.equal labels.(i) l) all,
        (fun y -> if Big.equal y k then Big.one else Big.minus_one)
    | Some _ -> unreadable "data.pair: expected [K, L] or [K, \"rest\"]" in
  List.map (fun i -> relabel labels.(i)) keep, List.map row keep

let rational_data (labels, rows) =
  if rows = [] then unreadable "the data has no points";
  let d = List.length (List.hd rows) in
  if List.exists (fun r -> List.length r <> d) rows then unreadable "data points of different dimensions";
  let den, rows = over_one_denominator rows in
  let rows = Array.of_list rows in
  den, Array.of_list labels, d, Array.get rows

let load_data data base =
  let den, labels, d, row = match member "format" data with
    | Some (`String "inline") -> rational_data (inline_data data)
    | Some (`String "text") -> let path, bytes = hashed_file data base "path" "sha256" in rational_data (text_data path bytes)
    | Some (`String "idx") -> idx_data data base
    | Some (`String f) -> unreadable "unknown data format '%s'" f
    | _ -> unreadable "data reference lacks the string \"format\"" in
  if Array.length labels = 0 then unreadable "the data has no points";
  if d = 0 then unreadable "the data's points have no coordinates (d = 0)";
  let labels, rows = select_pair data labels row in
  if rows = [] then unreadable "the data has no points of the pair's classes";
  { rden = den; rlabels = labels; rrows = rows }

(* JSON as VRead.json; nesting past max_depth and a key written twice are refused. *)
let rec to_coq depth (j : Yojson.Safe.t) =
  if depth > max_depth then unreadable "JSON nested deeper than %d levels" max_depth;
  match j with
  | `Null -> JNull
  | `Bool b -> JBool b
  | `Int i -> JInt (Big.of_int i)
  | `Intlit s -> JInt (Big.of_string s)
  | `Float f when classify_float f = FP_infinite -> unreadable "invalid JSON: a number out of range"
  | `Float _ -> JOther
  | `String s -> JStr (s, rational s)
  | `List l | `Tuple l -> JArr (List.map (to_coq (depth + 1)) l)
  | `Assoc l ->
      let keys = List.map fst l in
      if List.length (List.sort_uniq compare keys) <> List.length keys then unreadable "a key is written twice in one object";
      JObj (List.map (fun (k, v) -> (k, to_coq (depth + 1) v)) l)
  | `Variant _ -> JOther

let check path =
  let text = read_file path max_certificate_bytes in
  if not (utf8 text) then unreadable "%s: invalid JSON: ill-formed UTF-8" path;
  if not (plain_json text) then unreadable "%s: invalid JSON: a comment, NaN or Infinity, a stray character or a raw control character in a string" path;
  let json =
    try Yojson.Safe.from_string text with
    | Yojson.Json_error e -> unreadable "%s: invalid JSON: %s" path (one_line e)
    | Stack_overflow -> unreadable "%s: JSON nested deeper than %d levels" path max_depth in
  let theorem = match member "theorem" json with Some (`String t) -> t | _ -> "" in
  (* Data is read for the kinds on data that the proved checker covers; for any other
     kind the verdict is exit 3 (or 2 for an unknown one) without it. *)
  let on_data = List.mem theorem [ "lemma3"; "farkas"; "4"; "5"; "corollary6"; "15" ] in
  let load key = match member key json with
    | Some data when on_data -> Some (load_data data (Filename.dirname path))
    | _ -> None in
  let cert = to_coq 1 json in  (* a key written twice is refused before any data is read *)
  let raw = load "data" in
  let test = if theorem = "15" then load "test" else None in
  vcheck cert (raw, test)

let () =
  let args = List.tl (Array.to_list Sys.argv) in
  let as_json = List.mem "--json" args in
  match List.filter (fun a -> a <> "--json") args with
  | [ "--help" ] | [ "-h" ] ->
      print_string "usage: advdir-vcheck CERT [--json]\n\
                    Checks an advdir-cert/1 certificate of kind lemma3, farkas, 4, 5, corollary6, 15 or\n\
                    ray (linear) with the checker extracted from the Coq proofs (proofs/VCheck.v).\n\
                    Exit 0 valid, 1 invalid, 2 unreadable, 3 another kind (use advdir-check).\n"
  | [ path ] ->
      let report valid reason code =
        if as_json then Printf.printf "{\"valid\":%b,\"reason\":%s}\n" valid (Yojson.Safe.to_string (`String reason))
        else if valid then Printf.printf "valid: %s\n" path
        else Printf.printf "INVALID: %s: %s\n" path (one_line reason);
        exit code in
      (match check path with
       | Valid -> report true "" 0
       | Invalid why -> report false why 1
       | Uncovered why -> prerr_endline ("advdir-vcheck: " ^ path ^ ": " ^ one_line why); exit 3
       | Unreadable why -> prerr_endline ("advdir-vcheck: " ^ path ^ ": " ^ one_line why); exit 2
       | exception Unreadable why -> prerr_endline ("advdir-vcheck: " ^ one_line why); exit 2
       | exception (Stack_overflow | Out_of_memory) -> prerr_endline ("advdir-vcheck: " ^ path ^ ": too large to check"); exit 2)
  | _ -> prerr_endline "usage: advdir-vcheck CERT [--json]"; exit 2
