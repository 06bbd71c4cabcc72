# escape=`

FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
WORKDIR C:\app
RUN New-Item -ItemType Directory -Path C:\data ; `
    Write-Host 'created' ; `
    `
    Get-ChildItem C:\
COPY app\ C:\app\
CMD ["powershell", "-File", "C:\\app\\start.ps1"]
