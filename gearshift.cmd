@echo off
rem Windows twin of ./gearshift: builds the CLI when its sources are newer than the build, then runs it with an
rem AppCDS archive per JDK (made and checked by JDK 19 and later; JDK 17 ignores the option) and its exit code.
setlocal
set "here=%~dp0"
set "target=%here%gearshift-cli\target"
set "jar=%target%\gearshift-cli.jar"
powershell -NoProfile -Command "$j=Get-Item -LiteralPath '%jar%' -ErrorAction SilentlyContinue; if(-not $j){exit 1}; if(Get-ChildItem '%here%gearshift-*\src\main','%here%pom.xml','%here%gearshift-*\pom.xml' -Recurse -File | Where-Object {$_.LastWriteTime -gt $j.LastWriteTime} | Select-Object -First 1){exit 1}"
if errorlevel 1 (
  echo Building Gearshift ^(only when its sources changed^)... 1>&2
  pushd "%here%" && call mvnw.cmd -q -B -DskipTests -pl gearshift-cli -am package 1>&2 & popd
  copy /b "%jar%"+,, "%jar%" >nul
)
set "java=java"
if defined JAVA_HOME set "java=%JAVA_HOME%\bin\java"
set "jdk=default"
if defined JAVA_HOME for %%j in ("%JAVA_HOME%") do set "jdk=%%~nxj"
"%java%" -XX:+IgnoreUnrecognizedVMOptions -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="%target%\gearshift-%jdk%.jsa" -Xlog:cds=off,cds+dynamic=off -XX:+UseSerialGC -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED -cp "%jar%;%target%\lib\*" dev.gearshift.cli.Main %*
exit /b %ERRORLEVEL%
