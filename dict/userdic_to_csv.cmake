# Converts dict/userdic.tsv (surface<TAB>reading) into the CSV that
# mecab-dict-index compiles: every term a common noun (名詞,一般, ipadic
# context id 1285) with a low cost, so MeCab keeps it whole.
#   cmake -DIN=userdic.tsv -DOUT=userdic.csv -P userdic_to_csv.cmake
file(STRINGS "${IN}" lines ENCODING UTF-8)
set(csv "")
set(number 0)
foreach(line IN LISTS lines)
  math(EXPR number "${number} + 1")
  if(line STREQUAL "" OR line MATCHES "^#")
    continue()
  endif()
  string(REPLACE "\t" ";" fields "${line}")
  list(LENGTH fields count)
  list(GET fields 0 surface)
  set(reading "*")
  if(count GREATER 1)
    list(GET fields 1 reading)
  endif()
  # The analyzer segments case-folded text, so the surface must be too.
  string(TOLOWER "${surface}" surface)
  if(surface MATCHES "[, ]" OR reading MATCHES "[, ]")
    message(FATAL_ERROR "${IN}:${number}: a term or reading may not contain a comma or space")
  endif()
  string(APPEND csv "${surface},1285,1285,3000,名詞,一般,*,*,*,*,${surface},${reading},${reading}\n")
endforeach()
file(WRITE "${OUT}" "${csv}")
