/** @type {AppTypes.Config} */
// Strata's configuration of the OHIF viewer (npm @ohif/app, the version pinned in
// deploy/scripts/fetch-ohif.sh). `make run` serves the viewer and this file from the nginx that
// holds the DICOMweb base URL, http://127.0.0.1:8080/ (deploy/nginx/strata.conf.template), so the
// viewer calls DICOMweb on its own origin. Operators who run their own OHIF: deploy/ohif/README.md.

// The Keycloak realm (OIDC issuer) the viewer signs in with. make run's nginx serves this file
// with this exact string replaced by its own Keycloak's realm URL (DicomwebProxy); elsewhere, put
// your realm's URL here.
const strataOidcAuthority = 'http://127.0.0.1:18080/realms/strata';

// DICOMweb on the origin that served the viewer: nginx routes /dicomweb to Strata's services.
const strataDicomweb = window.location.origin + '/dicomweb';

window.config = {
  name: 'strata',
  routerBasename: '/',
  extensions: [],
  modes: [],
  customizationService: {},
  showStudyList: true,
  maxNumberOfWebWorkers: 3,
  showWarningMessageForCrossOrigin: false,
  showCPUFallbackMessage: true,
  showLoadingIndicator: true,
  strictZSpacingForVolumeViewport: true,
  groupEnabledModesFirst: true,
  maxNumRequests: { interaction: 100, thumbnail: 5, prefetch: 25 },
  showErrorDetails: 'always',

  // Sign-in through Keycloak: authorization code with PKCE (S256) for the realm's public client
  // strata-viewer. The viewer renews its access token before it expires (automaticSilentRenew,
  // with the refresh token Keycloak issues to the code flow) and sends it as a bearer token on
  // every DICOMweb request. There is no anonymous viewer: without a session the viewer sends the
  // browser to Keycloak's login page, also in make run's local mode (docs/security.md).
  oidc: [
    {
      authority: strataOidcAuthority,
      client_id: 'strata-viewer',
      redirect_uri: '/callback',
      silent_redirect_uri: '/silent-refresh.html',
      post_logout_redirect_uri: '/',
      response_type: 'code',
      scope: 'openid profile',
      automaticSilentRenew: true,
      revokeAccessTokenOnSignout: true,
    },
  ],

  defaultDataSourceName: 'strata',
  dataSources: [
    {
      namespace: '@ohif/extension-default.dataSourcesModule.dicomweb',
      sourceName: 'strata',
      configuration: {
        friendlyName: 'Strata',
        name: 'strata',
        // QIDO-RS, WADO-RS and WADO-URI ({base}/wado) share Strata's one base URL.
        qidoRoot: strataDicomweb,
        wadoRoot: strataDicomweb,
        wadoUriRoot: strataDicomweb + '/wado',
        qidoSupportsIncludeField: true,
        supportsFuzzyMatching: true,
        supportsWildcard: true,
        imageRendering: 'wadors',
        thumbnailRendering: 'wadors',
        enableStudyLazyLoad: true,
        omitQuotationForMultipartRequest: true,
        bulkDataURI: { enabled: true },
        // STOW-RS needs strata-writer, delete the admin API: the viewer only reads.
        dicomUploadEnabled: false,
        supportsReject: false,
      },
    },
  ],
};
